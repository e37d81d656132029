#!/usr/bin/env python3
"""Writes a deterministic benchmark help center: N articles (default 10,000,
about 20 MB of Markdown) in 20 categories x 5 sections, with front matter,
headings, lists, tables, links between articles and code blocks.

usage: gen_corpus.py OUT_DIR [N]
The same N always gives byte-identical files (a fixed-seed generator)."""
import os
import random
import sys

WORDS = ("account order shipping refund payment invoice delivery address card "
         "password security label package return exchange warehouse carrier "
         "tracking customer support subscription coupon discount receipt tax "
         "profile notification email phone verification login device browser "
         "setting update cancel change status pending confirmed delayed lost "
         "damaged replacement courier international customs duty weight size "
         "color stock available backorder preorder gift wrap message store "
         "pickup locker region currency exchange rate bank transfer wallet "
         # words with diacritics, so the search benchmark's "diacritics removed"
         # query set has titles to work on
         "účet café résumé señal über façade smörgåsbord naïve crème zürich").split()
CATEGORIES = ["Orders", "Shipping", "Returns", "Refunds", "Payments", "Billing",
              "Account", "Security", "Privacy", "Gift cards", "Promotions",
              "Products", "Stores", "Subscriptions", "Mobile app", "Business",
              "Marketplace", "Warranty", "Accessibility", "Developers"]


def sentence(rng, n=None):
    n = n or rng.randint(7, 18)
    w = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(w).capitalize() + "."


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 3)))


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    rng = random.Random(20261123)
    content = os.path.join(out, "content")
    os.makedirs(content, exist_ok=True)
    with open(os.path.join(out, "helpgen.yaml"), "w") as f:
        f.write("title: Bench Help Center\nbase_url: https://help.example.com/\n"
                "language: en\ncontact:\n  email: support@example.com\n")
    sections = []
    for ci, cat in enumerate(CATEGORIES):
        cslug = cat.lower().replace(" ", "-")
        os.makedirs(os.path.join(content, cslug), exist_ok=True)
        with open(os.path.join(content, cslug, "_index.md"), "w") as f:
            f.write(f"---\ntitle: {cat}\ndescription: {sentence(rng)}\nweight: {ci}\n---\n")
        for si in range(5):
            sslug = f"{cslug}-topic-{si}"
            d = os.path.join(content, cslug, sslug)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "_index.md"), "w") as f:
                f.write(f"---\ntitle: {cat} topic {si}\nweight: {si}\n---\n")
            sections.append((cslug, sslug))
    paths = []
    for i in range(n):
        cslug, sslug = sections[i % len(sections)]
        paths.append((cslug, sslug, f"article-{i:05d}.md"))
    for i, (cslug, sslug, name) in enumerate(paths):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize()
        parts = ["---", f"title: \"{title} {i}\"", f"description: {sentence(rng, 12)}",
                 f"weight: {rng.randint(0, 50)}",
                 f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
                 f"date: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                 f"promoted: {'true' if i % 997 == 0 else 'false'}", "---", ""]
        for h in range(rng.randint(2, 4)):
            parts.append(f"## {sentence(rng, 4)[:-1]}\n")
            parts.append(paragraph(rng) + "\n")
            k = rng.random()
            if k < 0.3:
                parts.extend(f"{j + 1}. {sentence(rng)}" for j in range(rng.randint(3, 6)))
                parts.append("")
            elif k < 0.5:
                parts.append("| Option | Time | Cost |\n|---|---|---:|")
                parts.extend(f"| {rng.choice(WORDS)} | {rng.randint(1, 9)} days | "
                             f"${rng.randint(1, 99)}.00 |" for _ in range(rng.randint(3, 6)))
                parts.append("")
            elif k < 0.6:
                parts.append("```\n" + "\n".join(sentence(rng) for _ in range(3)) + "\n```\n")
            if rng.random() < 0.5:
                oc, os_, on = paths[rng.randrange(n)]
                rel = f"../../{oc}/{os_}/{on}"
                parts.append(f"See [{rng.choice(WORDS)} help]({rel}) and "
                             f"**{rng.choice(WORDS)}** for _details_.\n")
            if rng.random() < 0.3:
                parts.append(f"### {sentence(rng, 3)[:-1]}\n")
                parts.extend(f"- {sentence(rng)}" for _ in range(rng.randint(2, 5)))
                parts.append("")
        with open(os.path.join(content, cslug, sslug, name), "w") as f:
            f.write("\n".join(parts))


if __name__ == "__main__":
    main()
