// template.cc - the one C++ file: Google CTemplate behind the C API of
// hg_template.h. Everything else in helpgen is C.
#include "hg_template.h"

#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_dictionary.h>
#include <ctemplate/template_emitter.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>
#include <unistd.h>

using ctemplate::TemplateCache;
using ctemplate::TemplateDictionary;

struct hg_tpl {
  TemplateCache *cache;
  // registered names, each with the {{#X}} sections it opens; looked up
  // several times per page, by strcmp (no std::string made per lookup)
  std::vector<std::pair<std::string, std::vector<std::string>>> names;
  const std::pair<std::string, std::vector<std::string>> *find(const char *name) const {
    for (const auto &n : names)
      if (strcmp(n.first.c_str(), name) == 0) return &n;
    return NULL;
  }
};

namespace {
const ctemplate::Strip kStrip = ctemplate::STRIP_BLANK_LINES;

// ctemplate logs its syntax errors to stderr; catch them for our message.
std::string capture_stderr_begin(int *saved, FILE **tmp) {
  fflush(stderr);
  *tmp = tmpfile();
  *saved = -1;
  if (*tmp) {
    *saved = dup(2);
    dup2(fileno(*tmp), 2);
  }
  return std::string();
}

std::string capture_stderr_end(int saved, FILE *tmp) {
  std::string out;
  fflush(stderr);
  if (saved >= 0) {
    dup2(saved, 2);
    close(saved);
  }
  if (tmp) {
    rewind(tmp);
    char buf[512];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, tmp)) > 0) out.append(buf, n);
    fclose(tmp);
  }
  return out;
}

// Our own balance check gives a line and column, which ctemplate may not.
bool check_sections(const char *path, const char *text, size_t len,
                    std::set<std::string> *found, hg_error **err) {
  std::string stack[64];
  int stack_line[64];
  int depth = 0, line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i + 1 < len; i++) {
    if (text[i] == '\n') {
      line++;
      line_start = i + 1;
      continue;
    }
    if (text[i] != '{' || text[i + 1] != '{') continue;
    size_t j = i + 2;
    // text need not end in a NUL: search only its len bytes
    const char *close = static_cast<const char *>(memmem(text + j, len - j, "}}", 2));
    int col = (int)(i - line_start) + 1;
    if (!close) {
      hg_error_set(err, 2, path, line, col, "template: '{{' is never closed by '}}'");
      return false;
    }
    char kind = text[j];
    std::string name;
    if (close > text + j) name.assign(text + j + 1, close - text - j - 1);
    size_t colon = name.find(':');
    if (colon != std::string::npos) name.resize(colon);
    if (kind == '#') {
      if (depth == 64) {
        hg_error_set(err, 2, path, line, col, "template: sections nested too deeply");
        return false;
      }
      stack_line[depth] = line;
      stack[depth++] = name;
      found->insert(name);
    } else if (kind == '/') {
      if (depth == 0 || stack[depth - 1] != name) {
        if (depth == 0)
          hg_error_set(err, 2, path, line, col,
                       "template: {{/%s}} closes a section that was never opened",
                       name.c_str());
        else
          hg_error_set(err, 2, path, line, col,
                       "template: {{/%s}} found, but {{#%s}} (line %d) is still open",
                       name.c_str(), stack[depth - 1].c_str(), stack_line[depth - 1]);
        return false;
      }
      depth--;
    }
    for (size_t k = i; k < (size_t)(close - text); k++)
      if (text[k] == '\n') {
        line++;
        line_start = k + 1;
      }
    i = close - text + 1;
  }
  if (depth > 0) {
    hg_error_set(err, 2, path, stack_line[depth - 1], 0,
                 "template: {{#%s}} is never closed (add {{/%s}})",
                 stack[depth - 1].c_str(), stack[depth - 1].c_str());
    return false;
  }
  return true;
}
} // namespace

namespace ctemplate {
// Exported by libctemplate (it computes the id STS_INIT stores); declared
// here because the header only names it as a friend.
TemplateId GlobalIdForSTS_INIT(const TemplateString &s);
} // namespace ctemplate

namespace {
// CTemplate adds every key whose id is not precomputed to its process-wide
// id-to-name table (a copy under a lock for run-time strings, a lookup for
// literals) on every SetValue: 5 % of a build's CPU and contention between
// threads. That table only serves debugging dumps. So each distinct key is
// interned once (a pool that lives as long as the process) with its id, a
// per-thread cache finds it without a lock, and the key is passed with its
// id set, which skips the table.
struct CStrHash { // FNV-1a over the C string: no std::string, no allocation
  size_t operator()(const char *s) const {
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
  }
};
struct CStrEq {
  bool operator()(const char *a, const char *b) const { return strcmp(a, b) == 0; }
};
struct Interned {
  const char *ptr;
  size_t len;
  ctemplate::TemplateId id;
};

ctemplate::TemplateString key_of(const char *k) {
  static std::mutex pool_mu;
  static std::unordered_set<std::string> *pool = new std::unordered_set<std::string>();
  thread_local std::unordered_map<const char *, Interned, CStrHash, CStrEq> cache;
  // most keys are literals or the i18n variable names, passed again and
  // again at one address: a small table by address comes first (what it
  // holds is compared, so a buffer reused for another key is no problem)
  struct Recent {
    const char *k;
    Interned in;
  };
  thread_local Recent recent[256];
  Recent &r = recent[(reinterpret_cast<uintptr_t>(k) >> 3) & 255];
  if (r.k == k && strcmp(r.in.ptr, k) == 0)
    return ctemplate::TemplateString(ctemplate::StaticTemplateString{{r.in.ptr, r.in.len, r.in.id}});
  Interned in;
  auto it = cache.find(k);
  if (it != cache.end()) {
    in = it->second;
  } else {
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      const std::string &str = *pool->insert(std::string(k)).first;
      in.ptr = str.c_str();
      in.len = str.size();
    }
    in.id = ctemplate::GlobalIdForSTS_INIT(ctemplate::TemplateString(in.ptr));
    cache.emplace(in.ptr, in);
  }
  r.k = k;
  r.in = in;
  ctemplate::StaticTemplateString s = {{in.ptr, in.len, in.id}};
  return ctemplate::TemplateString(s);
}
} // namespace

extern "C" {

hg_tpl *hg_tpl_new(void) {
  hg_tpl *t = new hg_tpl;
  t->cache = new TemplateCache();
  return t;
}

void hg_tpl_free(hg_tpl *t) {
  if (!t) return;
  delete t->cache;
  delete t;
}

bool hg_tpl_add(hg_tpl *t, const char *name, const char *path, const char *text,
                size_t len, hg_error **err) {
  const char *p = text;
  while (p < text + len && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
  if ((size_t)(text + len - p) < 13 || strncmp(p, "{{%AUTOESCAPE", 13) != 0) {
    hg_error_set(err, 2, path, 1, 1,
                 "template: must start with {{%%AUTOESCAPE context=\"HTML\"}} "
                 "(every template and partial escapes by default)");
    return false;
  }
  std::set<std::string> found;
  if (!check_sections(path, text, len, &found, err)) return false;
  int saved;
  FILE *tmp;
  capture_stderr_begin(&saved, &tmp);
  bool ok = t->cache->StringToTemplateCache(name, std::string(text, len), kStrip);
  std::string log = capture_stderr_end(saved, tmp);
  if (!ok) {
    // keep ctemplate's first line, without its "ERROR: Template : ERROR: "
    std::string first = log.substr(0, log.find('\n'));
    size_t e = first.rfind("ERROR: ");
    if (e != std::string::npos) first = first.substr(e + 7);
    if (first.empty()) first = "syntax error";
    hg_error_set(err, 2, path, 0, 0, "template: %s", first.c_str());
    return false;
  }
  std::vector<std::string> secs(found.begin(), found.end());
  for (auto &n : t->names)
    if (n.first == name) {
      n.second = secs;
      return true;
    }
  t->names.emplace_back(name, secs);
  return true;
}

bool hg_tpl_has(const hg_tpl *t, const char *name) { return t->find(name) != NULL; }

bool hg_tpl_has_section(const hg_tpl *t, const char *name, const char *section) {
  const auto *n = t->find(name);
  if (!n) return false;
  for (const auto &sec : n->second)
    if (strcmp(sec.c_str(), section) == 0) return true;
  return false;
}

void hg_tpl_freeze(hg_tpl *t) { t->cache->Freeze(); }

bool hg_tpl_expand(hg_tpl *t, const char *name, const hg_dict *d, hg_buf *out,
                   hg_error **err) {
  std::string s;
  ctemplate::StringEmitter emitter(&s);
  bool ok = t->cache->ExpandNoLoad(name, kStrip,
                                   reinterpret_cast<const TemplateDictionary *>(d),
                                   NULL, &emitter);
  if (!ok) {
    hg_error_set(err, 2, name, 0, 0, "template: expansion failed (missing template "
                 "or include?)");
    return false;
  }
  hg_buf_append(out, s.data(), s.size());
  return true;
}

hg_dict *hg_dict_new(const char *name) {
  return reinterpret_cast<hg_dict *>(new TemplateDictionary(name));
}

void hg_dict_free(hg_dict *d) { delete reinterpret_cast<TemplateDictionary *>(d); }

void hg_dict_set(hg_dict *d, const char *key, const char *value) {
  reinterpret_cast<TemplateDictionary *>(d)->SetValue(key_of(key), value ? value : "");
}

void hg_dict_set_int(hg_dict *d, const char *key, long value) {
  reinterpret_cast<TemplateDictionary *>(d)->SetIntValue(key_of(key), value);
}

void hg_dict_show(hg_dict *d, const char *section) {
  reinterpret_cast<TemplateDictionary *>(d)->ShowSection(key_of(section));
}

void hg_dict_set_global(hg_dict *d, const char *key, const char *value) {
  reinterpret_cast<TemplateDictionary *>(d)->SetTemplateGlobalValue(key_of(key), value ? value : "");
}

void hg_dict_show_global(hg_dict *d, const char *section) {
  reinterpret_cast<TemplateDictionary *>(d)->ShowTemplateGlobalSection(key_of(section));
}

hg_dict *hg_dict_add_section(hg_dict *d, const char *section) {
  return reinterpret_cast<hg_dict *>(
      reinterpret_cast<TemplateDictionary *>(d)->AddSectionDictionary(key_of(section)));
}

hg_dict *hg_dict_add_include(hg_dict *d, const char *name, const char *template_name) {
  TemplateDictionary *c =
      reinterpret_cast<TemplateDictionary *>(d)->AddIncludeDictionary(key_of(name));
  c->SetFilename(template_name);
  return reinterpret_cast<hg_dict *>(c);
}

} // extern "C"
