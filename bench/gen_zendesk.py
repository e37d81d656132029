#!/usr/bin/env python3
"""gen_zendesk.py DIR [N] -- a deterministic Zendesk Help Center API export of
N articles (default 10,000) in DIR, for `make bench`: categories.json,
sections.json (20 categories x 5 sections), articles.json, articles-2.json...
(100 per page, linked by next_page as the API does) and attachments/. Each
body is about 2 kB of HTML with headings, a paragraph with links to other
articles, a nested list, a table, an image, a code block and a callout."""
import json
import os
import random
import sys

WORDS = ("account order parcel invoice refund shipping password payment address delivery "
         "return label tracking store card bank transfer plan upgrade settings email profile "
         "warehouse courier customs discount coupon receipt export report team access").split()
HOST = "https://bench.zendesk.com"


def sentence(rnd, n):
    w = [rnd.choice(WORDS) for _ in range(n)]
    return (" ".join(w)).capitalize() + "."


def page(items, key, name, i, pages, per):
    nxt = f"{HOST}/api/v2/help_center/en-us/{key}.json?page={i + 2}&per_page={per}" \
        if i + 1 < pages else None
    return {key: items, "page": i + 1, "previous_page": None, "next_page": nxt, "per_page": per,
            "page_count": pages, "count": None, "sort_by": "position", "sort_order": "asc"}


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    rnd = random.Random(12)
    os.makedirs(os.path.join(out, "attachments"), exist_ok=True)
    cats = [{"id": 100 + c, "name": f"Category {c} {rnd.choice(WORDS)}", "position": c,
             "description": sentence(rnd, 6), "locale": "en-us", "source_locale": "en-us",
             "html_url": f"{HOST}/hc/en-us/categories/{100 + c}"} for c in range(20)]
    secs = [{"id": 1000 + s, "category_id": 100 + s // 5, "name": f"Section {s} {rnd.choice(WORDS)}",
             "position": s % 5, "description": "", "locale": "en-us", "source_locale": "en-us",
             "parent_section_id": None, "html_url": f"{HOST}/hc/en-us/sections/{1000 + s}"}
            for s in range(100)]
    for name, key, items in (("categories.json", "categories", cats),
                             ("sections.json", "sections", secs)):
        with open(os.path.join(out, name), "w") as f:
            json.dump(page(items, key, name, 0, 1, 100), f, indent=2)
    for a in range(20):  # a small PNG per attachment id
        d = os.path.join(out, "attachments", str(900000 + a))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"screen-{a}.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + bytes(rnd.randrange(256) for _ in range(600)))
    per = 100
    pages = (n + per - 1) // per
    for p in range(pages):
        arts = []
        for i in range(p * per, min(n, (p + 1) * per)):
            aid = 10000 + i
            title = f"{sentence(rnd, 4)[:-1]} {i}"
            links = " ".join(
                f'<a href="{HOST}/hc/en-us/articles/{10000 + rnd.randrange(n)}-x">{rnd.choice(WORDS)}</a>'
                for _ in range(3))
            att = rnd.randrange(20)
            body = (f"<p>{sentence(rnd, 18)} {links}.</p>\n<h2 id=\"h_{aid}a\">{sentence(rnd, 3)}</h2>\n"
                    f"<p>{sentence(rnd, 30)}</p>\n<ul>\n<li>{sentence(rnd, 6)}<ul><li>{sentence(rnd, 5)}"
                    f"</li><li>{sentence(rnd, 5)}</li></ul></li>\n<li>{sentence(rnd, 7)}</li>\n</ul>\n"
                    "<table><thead><tr><th>Option</th><th>Cost</th><th>Time</th></tr></thead><tbody>\n"
                    + "".join(f"<tr><td>{rnd.choice(WORDS)}</td><td>{rnd.randrange(99)} EUR</td>"
                              f"<td>{rnd.randrange(9)} days</td></tr>\n" for _ in range(4))
                    + "</tbody></table>\n"
                    f"<p><img src=\"{HOST}/hc/article_attachments/{900000 + att}/screen-{att}.png\" "
                    f"alt=\"{sentence(rnd, 4)}\"></p>\n"
                    f"<pre><code class=\"language-bash\">curl {HOST}/api/{rnd.choice(WORDS)}\n</code></pre>\n"
                    f"<div class=\"note\"><p>{sentence(rnd, 12)}</p></div>\n"
                    f"<h2>{sentence(rnd, 2)}</h2>\n<p>{sentence(rnd, 40)} <a href=\"#h_{aid}a\">Back up</a>.</p>")
            arts.append({"id": aid, "title": title, "name": title, "body": body, "locale": "en-us",
                         "source_locale": "en-us", "section_id": 1000 + i % 100, "position": i // 100,
                         "promoted": i % 97 == 0, "draft": False,
                         "label_names": [rnd.choice(WORDS), rnd.choice(WORDS)],
                         "created_at": "2024-01-02T03:04:05Z", "updated_at": "2024-05-06T07:08:09Z",
                         "html_url": f"{HOST}/hc/en-us/articles/{aid}-{title.replace(' ', '-')}"})
        name = "articles.json" if p == 0 else f"articles-{p + 1}.json"
        with open(os.path.join(out, name), "w") as f:
            json.dump(page(arts, "articles", name, p, pages, per), f, indent=2)


if __name__ == "__main__":
    main()
