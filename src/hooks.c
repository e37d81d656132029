/* hooks.c - Lua 5.4 hooks: sandboxed states (one per worker), budgets,
 * value conversion, the `helpgen` module, shortcodes and every hook point. */
#include "hg_hooks.h"
#include "hg_walk.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64          /* nesting of converted tables and shortcodes */
#define MEM_GRACE (1u << 20)  /* extra bytes the error handler may use */
#define UNSAFE_HINT "set hooks.allow_unsafe: true in helpgen.yaml to allow it"

enum { K_CONFIG, K_ARTICLE, K_HTML, K_PAGE, K_BUILD_END, K_COUNT };
static const char *const kind_names[K_COUNT] = {"on_config", "on_article", "on_html",
                                                "on_page", "on_build_end"};
enum { KILL_NONE, KILL_INSTR, KILL_MEM };

typedef struct hstate hstate;

/* What the current call is about (for messages, url_for, helpgen.write). */
typedef struct {
  hg_diags *diags;
  const char *doc;      /* display path of the file being processed, or NULL */
  int doc_line;         /* line in it (shortcodes), or 0 */
  const char *what;     /* "on_config"... for messages without a document */
  const char *page_dir; /* url_dir of the page links are relative to, or NULL */
  const char *from_dir; /* content folder of the document (helpgen.markdown links) */
  long art;             /* its site->arts index, or -1 */
  hg_output *out;       /* set during on_build_end */
} call_ctx;

struct hstate {
  hg_hooks *h;
  lua_State *L;
  size_t mem, cap;
  bool in_call;          /* Lua code is running: the cap applies (C code building
                            tables outside a call must not fail) */
  bool grace;            /* the message handler may exceed the cap a little */
  const void *fail_ptr;  /* last refused allocation (Lua retries once after GC) */
  size_t fail_size;
  char mem_where[128];   /* "hooks/x.lua:12" of the refused allocation */
  long long used;        /* instructions in the current call */
  int step;              /* count-hook period */
  int killed;            /* KILL_*: every instruction raises until the call ends */
  bool broken;           /* loading failed: never call into this state */
  int fns[K_COUNT];      /* registry refs: list of hook functions per kind */
  int nfns[K_COUNT];
  int *fn_file[K_COUNT]; /* hook file index of each function */
  int sc_ref, sc_file_ref; /* shortcodes: name -> function, name -> file index */
  int seed_ref;          /* the original math.randomseed */
  call_ctx ctx;
};

struct hg_hooks {
  hg_config *cfg;
  char *site_dir;  /* as given, for opening files */
  char *disp;      /* display prefix of site files: "" or "examples/hooks/" */
  bool follow_outside; /* site.follow_outside_links */
  char *site_real; /* realpath of the site and of its hooks/ folder */
  char *hooks_real;
  char **files;    /* names relative to hooks/ ("glossary.lua") */
  char **srcs;     /* their text, read once so every state loads the same */
  size_t *src_lens;
  size_t nfiles;
  long long instr_limit;
  size_t mem_limit;
  bool unsafe;
  int nstates;
  hstate **states;
  bool has[K_COUNT];
  const hg_site *site;
};

static hstate *state_of(lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);
  return ud;
}

/* "hooks/x.lua" (a chunk name) as the path messages print. */
static char *disp_src(const hg_hooks *h, const char *src) {
  if (hg_str_has_prefix(src, "hooks/")) return hg_strdup_printf("%s%s", h->disp, src);
  return hg_xstrdup(src);
}

/* ---- budgets -------------------------------------------------------------- */

/* The first Lua function on the stack as "src:line" (into buf). */
static void where_now(lua_State *L, char *buf, size_t n) {
  lua_Debug ar;
  buf[0] = '\0';
  for (int lv = 0; lua_getstack(L, lv, &ar); lv++) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    snprintf(buf, n, "%s:%d", ar.short_src, ar.currentline);
    return;
  }
}

static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  hstate *s = ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    s->mem -= old;
    return NULL;
  }
  size_t cap = s->cap + (s->grace ? MEM_GRACE : 0);
  if (s->in_call && nsize > old && s->mem - old + nsize > cap) {
    if (s->L && !s->killed) where_now(s->L, s->mem_where, sizeof s->mem_where);
    if (s->fail_ptr == ptr && s->fail_size == nsize) s->killed = KILL_MEM; /* again after a GC */
    s->fail_ptr = ptr;
    s->fail_size = nsize;
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (!p) return NULL;
  s->fail_ptr = NULL;
  s->fail_size = 0;
  s->mem = s->mem - old + nsize;
  return p;
}

static const char *kill_message(const hstate *s, char *buf, size_t n) {
  if (s->killed == KILL_MEM)
    snprintf(buf, n, "memory limit exceeded (%zu MB; raise hooks.limits.memory_mb in helpgen.yaml)",
             s->h->mem_limit >> 20);
  else
    snprintf(buf, n, "instruction limit exceeded (%lld instructions; an endless loop? raise "
             "hooks.limits.instructions in helpgen.yaml)", s->h->instr_limit);
  return buf;
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  hstate *s = state_of(L);
  if (!s->killed) {
    s->used += s->step;
    if (s->used < s->h->instr_limit) return;
    s->killed = KILL_INSTR;
  }
  /* from now on every instruction raises, so pcall in a hook cannot keep a
   * runaway loop alive */
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  char msg[200];
  kill_message(s, msg, sizeof msg);
  if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
    lua_pushfstring(L, "%s:%d: %s", ar->short_src, ar->currentline, msg);
  else
    lua_pushstring(L, msg);
  lua_error(L);
}

/* Message handler: the error text plus a traceback. */
static int msgh(lua_State *L) {
  hstate *s = state_of(L);
  s->grace = true;
  const char *msg = lua_tostring(L, 1);
  if (!msg) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tostring(L, -1);
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

/* ---- messages --------------------------------------------------------------- */

/* Splits "src:LINE: rest" (src without ':' or newline). */
static bool split_loc(const char *m, size_t *src_len, int *line, const char **rest) {
  const char *c = m;
  while (*c && *c != ':' && *c != '\n') c++;
  if (*c != ':' || c == m) return false;
  char *end;
  long l = strtol(c + 1, &end, 10);
  if (end == c + 1 || *end != ':' || l <= 0) return false;
  *src_len = (size_t)(c - m);
  *line = (int)l;
  *rest = end[1] == ' ' ? end + 2 : end + 1;
  return true;
}

/* Adds a Lua error (text from msgh: message, then "stack traceback:" and
 * frames) as an error diagnostic located at the hook source. */
static void add_lua_error(hstate *s, const char *text, const char *fallback) {
  hg_hooks *h = s->h;
  const call_ctx *cx = &s->ctx;
  const char *tb = strstr(text, "\nstack traceback:");
  size_t mlen = tb ? (size_t)(tb - text) : strlen(text);
  char *msg = hg_xstrndup(text, mlen);
  /* Lua frames of the traceback ("\thooks/x.lua:3: in function 'f'") */
  hg_buf frames = HG_BUF_INIT;
  int nframes = 0;
  char *first_src = NULL;
  int first_line = 0;
  for (const char *p = tb ? strchr(tb + 1, '\n') : NULL; p && *p; p = strchr(p, '\n')) {
    p++;
    if (*p != '\t') continue;
    p++;
    const char *eol = strchr(p, '\n');
    size_t n = eol ? (size_t)(eol - p) : strlen(p);
    size_t sl;
    int ln;
    const char *rest;
    char *line = hg_xstrndup(p, n);
    if (split_loc(line, &sl, &ln, &rest) && strncmp(line, "[C]", 3)) {
      if (!first_src) {
        first_src = hg_xstrndup(line, sl);
        first_line = ln;
      }
      hg_buf_printf(&frames, "\n    %s", line);
      nframes++;
    }
    free(line);
  }
  size_t sl;
  int line = 0;
  const char *rest = msg;
  char *path;
  if (split_loc(msg, &sl, &line, &rest)) {
    char *src = hg_xstrndup(msg, sl);
    path = disp_src(h, src);
    free(src);
  } else if (first_src) {
    path = disp_src(h, first_src);
    line = first_line;
    rest = msg;
  } else {
    path = hg_xstrdup(fallback);
    line = 0;
  }
  hg_buf full = HG_BUF_INIT;
  hg_buf_puts(&full, rest);
  if (cx->doc && cx->doc_line)
    hg_buf_printf(&full, " (while processing %s:%d)", cx->doc, cx->doc_line);
  else if (cx->doc)
    hg_buf_printf(&full, " (while processing %s)", cx->doc);
  else if (cx->what)
    hg_buf_printf(&full, " (in %s)", cx->what);
  if (nframes > 1) {
    hg_buf_puts(&full, "\n  traceback:");
    hg_buf_append(&full, frames.data, frames.len);
  }
  hg_diags_add(cx->diags, HG_ERR, path, line, 0, "%s", hg_buf_cstr(&full));
  hg_buf_free(&full);
  hg_buf_free(&frames);
  free(first_src);
  free(path);
  free(msg);
}

/* Reports an error found by C code (not raised in Lua) about hook file `file`. */
static void add_error(hstate *s, int file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_error(hstate *s, int file, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hg_buf b = HG_BUF_INIT;
  hg_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  char *path = hg_strdup_printf("%shooks/%s", s->h->disp, file >= 0 ? s->h->files[file] : "");
  if (file < 0) {
    free(path);
    path = hg_strdup_printf("%shooks", s->h->disp);
  }
  if (s->ctx.doc && s->ctx.doc_line)
    hg_buf_printf(&b, " (while processing %s:%d)", s->ctx.doc, s->ctx.doc_line);
  else if (s->ctx.doc)
    hg_buf_printf(&b, " (while processing %s)", s->ctx.doc);
  else if (s->ctx.what)
    hg_buf_printf(&b, " (in %s)", s->ctx.what);
  hg_diags_add(s->ctx.diags, HG_ERR, path, 0, 0, "%s", hg_buf_cstr(&b));
  free(path);
  hg_buf_free(&b);
}

/* Calls the function below `nargs` arguments on the stack under the
 * budgets; on failure reports it and leaves nothing. */
static bool pcall_hook(hstate *s, int nargs, int nres, int file) {
  lua_State *L = s->L;
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, msgh);
  lua_insert(L, base);
  s->used = 0;
  s->mem_where[0] = '\0';
  if (s->killed) {
    s->killed = KILL_NONE;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, s->step);
  }
  s->in_call = true;
  int st = lua_pcall(L, nargs, nres, base);
  s->in_call = false;
  s->grace = false;
  lua_remove(L, base);
  if (st == LUA_OK) return true;
  char fb[64];
  char *fallback = file >= 0 ? hg_strdup_printf("%shooks/%s", s->h->disp, s->h->files[file])
                             : hg_strdup_printf("%shooks", s->h->disp);
  if (st == LUA_ERRMEM) {
    s->killed = KILL_MEM;
    char msg[200];
    kill_message(s, msg, sizeof msg);
    char *t = s->mem_where[0] ? hg_strdup_printf("%s: %s", s->mem_where, msg) : hg_xstrdup(msg);
    add_lua_error(s, t, fallback);
    free(t);
  } else {
    const char *t = lua_tostring(L, -1);
    if (!t) {
      snprintf(fb, sizeof fb, "error object is a %s value", luaL_typename(L, -1));
      t = fb;
    }
    add_lua_error(s, t, fallback);
  }
  free(fallback);
  lua_pop(L, 1);
  return false;
}

/* ---- hg_value <-> Lua ------------------------------------------------------- */

static void push_value(lua_State *L, const hg_value *v) {
  if (!v) {
    lua_pushnil(L);
    return;
  }
  luaL_checkstack(L, 4, "value too deep");
  switch (v->type) {
  case HG_V_NULL: lua_pushnil(L); break;
  case HG_V_BOOL: lua_pushboolean(L, v->b); break;
  case HG_V_INT: lua_pushinteger(L, (lua_Integer)v->i); break;
  case HG_V_FLOAT: lua_pushnumber(L, v->f); break;
  case HG_V_DATE:
  case HG_V_STRING: lua_pushstring(L, v->str ? v->str : ""); break;
  case HG_V_LIST:
    lua_createtable(L, (int)v->len, 0);
    for (size_t i = 0; i < v->len; i++) {
      push_value(L, v->items[i]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    break;
  case HG_V_MAP:
    lua_createtable(L, 0, (int)v->len);
    for (size_t i = 0; i < v->len; i++) {
      push_value(L, v->items[i]);
      lua_setfield(L, -2, v->keys[i]);
    }
    break;
  }
}

static void push_json(lua_State *L, json_t *j) {
  luaL_checkstack(L, 4, "data too deep");
  switch (json_typeof(j)) {
  case JSON_OBJECT: {
    lua_createtable(L, 0, (int)json_object_size(j));
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
      push_json(L, v);
      lua_setfield(L, -2, k);
    }
    break;
  }
  case JSON_ARRAY: {
    lua_createtable(L, (int)json_array_size(j), 0);
    size_t i;
    json_t *v;
    json_array_foreach(j, i, v) {
      push_json(L, v);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    break;
  }
  case JSON_STRING: lua_pushlstring(L, json_string_value(j), json_string_length(j)); break;
  case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(j)); break;
  case JSON_REAL: lua_pushnumber(L, json_real_value(j)); break;
  case JSON_TRUE: lua_pushboolean(L, 1); break;
  case JSON_FALSE: lua_pushboolean(L, 0); break;
  case JSON_NULL: lua_pushnil(L); break;
  }
}

/* Is the value at idx an integer >= 1 (a list index)? */
static bool is_index(lua_State *L, int idx) {
  return lua_isinteger(L, idx) && lua_tointeger(L, idx) >= 1;
}

/* How many of t[1..n] are set: n exactly when the table is the list 1..n. */
static size_t count_seq(lua_State *L, int t, size_t n) {
  size_t k = 0;
  while (k < n) {
    bool set = lua_rawgeti(L, t, (lua_Integer)k + 1) != LUA_TNIL;
    lua_pop(L, 1);
    if (!set) break;
    k++;
  }
  return k;
}

/* t[key] without metamethods (tables a hook returned may have any), pushed;
 * returns its type. Nothing raised for a table. */
static int rawfield(lua_State *L, int t, const char *key) {
  t = lua_absindex(L, t);
  lua_pushstring(L, key);
  return lua_rawget(L, t);
}

static hg_value *val_new(hg_value_type t, const hg_value *orig) {
  hg_value *v = hg_xcalloc(1, sizeof *v);
  v->type = t;
  if (orig) {
    v->line = orig->line;
    v->col = orig->col;
  }
  return v;
}

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The Lua value at idx as a new hg_value; `orig` is the value it came from
 * (its lines are kept). On failure returns NULL with *why set (a new
 * string naming the key path). */
static hg_value *to_value(lua_State *L, int idx, const hg_value *orig, const char *name,
                          int depth, char **why) {
  idx = lua_absindex(L, idx);
  hg_value *v = NULL;
  switch (lua_type(L, idx)) {
  case LUA_TNIL: return val_new(HG_V_NULL, orig);
  case LUA_TBOOLEAN:
    v = val_new(HG_V_BOOL, orig);
    v->b = lua_toboolean(L, idx);
    v->str = hg_xstrdup(v->b ? "true" : "false");
    return v;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx)) {
      v = val_new(HG_V_INT, orig);
      v->i = (long long)lua_tointeger(L, idx);
      v->f = (double)v->i;
      v->str = hg_strdup_printf("%lld", v->i);
    } else {
      v = val_new(HG_V_FLOAT, orig);
      v->f = lua_tonumber(L, idx);
      v->str = hg_strdup_printf("%.14g", v->f);
    }
    return v;
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    bool date = orig && orig->type == HG_V_DATE && orig->str && !strcmp(orig->str, s);
    v = val_new(date ? HG_V_DATE : HG_V_STRING, orig);
    v->str = hg_xstrndup(s, n);
    return v;
  }
  case LUA_TTABLE: break;
  default:
    *why = hg_strdup_printf("%s: cannot keep a %s (only strings, numbers, booleans and "
                            "tables)", name, luaL_typename(L, idx));
    return NULL;
  }
  if (depth >= MAX_DEPTH) {
    *why = hg_strdup_printf("%s: tables nested too deeply (a table that contains itself?)", name);
    return NULL;
  }
  luaL_checkstack(L, 6, "value too deep");
  size_t n = 0, nstr = 0;
  bool seq = true;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    n++;
    nstr += lua_type(L, -2) == LUA_TSTRING;
    seq = seq && is_index(L, -2);
    lua_pop(L, 1);
  }
  bool list = n > 0 ? seq && n == count_seq(L, idx, n) : (orig && orig->type == HG_V_LIST);
  if (n > 0 && !list && nstr != n) {
    *why = hg_strdup_printf("%s: a table must be a list (keys 1..n) or have only string keys",
                            name);
    return NULL;
  }
  v = val_new(list ? HG_V_LIST : HG_V_MAP, orig);
  v->items = hg_xcalloc(n ? n : 1, sizeof *v->items);
  if (list) {
    for (size_t i = 0; i < n; i++) {
      lua_rawgeti(L, idx, (lua_Integer)i + 1);
      const hg_value *o = orig && orig->type == HG_V_LIST && i < orig->len ? orig->items[i] : NULL;
      char *sub = hg_strdup_printf("%s[%zu]", name, i + 1);
      v->items[i] = to_value(L, -1, o, sub, depth + 1, why);
      free(sub);
      lua_pop(L, 1);
      if (!v->items[i]) break;
      v->len++;
    }
  } else {
    /* keys the original had, in its order; then new keys, sorted */
    v->keys = hg_xcalloc(n ? n : 1, sizeof *v->keys);
    v->key_lines = hg_xcalloc(n ? n : 1, sizeof *v->key_lines);
    char **fresh = hg_xcalloc(n ? n : 1, sizeof *fresh);
    size_t nfresh = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      lua_pop(L, 1);
      const char *k = lua_tostring(L, -1); /* every key is a string here */
      if (!hg_value_get(orig && orig->type == HG_V_MAP ? orig : NULL, k))
        fresh[nfresh++] = hg_xstrdup(k);
    }
    qsort(fresh, nfresh, sizeof *fresh, cmp_cstr);
    size_t norig = orig && orig->type == HG_V_MAP ? orig->len : 0;
    for (size_t i = 0; i < norig + nfresh && !*why; i++) {
      const char *k = i < norig ? orig->keys[i] : fresh[i - norig];
      rawfield(L, idx, k);
      if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        continue;
      }
      char *sub = hg_strdup_printf("%s.%s", name, k);
      hg_value *c = to_value(L, -1, i < norig ? orig->items[i] : NULL, sub, depth + 1, why);
      free(sub);
      lua_pop(L, 1);
      if (!c) break;
      v->keys[v->len] = hg_xstrdup(k);
      v->key_lines[v->len] = i < norig ? orig->key_lines[i] : 0;
      v->items[v->len++] = c;
    }
    for (size_t i = 0; i < nfresh; i++) free(fresh[i]);
    free(fresh);
  }
  if (*why) {
    hg_value_free(v);
    return NULL;
  }
  return v;
}

static bool value_equal(const hg_value *a, const hg_value *b) {
  if (!a || !b) return a == b;
  if (a->type != b->type || a->len != b->len) return false;
  if (a->type == HG_V_LIST || a->type == HG_V_MAP) {
    for (size_t i = 0; i < a->len; i++) {
      if (a->type == HG_V_MAP && strcmp(a->keys[i], b->keys[i])) return false;
      if (!value_equal(a->items[i], b->items[i])) return false;
    }
    return true;
  }
  if (a->type == HG_V_BOOL) return a->b == b->b;
  if (a->type == HG_V_NULL) return true;
  return a->str && b->str && !strcmp(a->str, b->str);
}

/* ---- deterministic pairs ------------------------------------------------------ */

typedef struct {
  int type;
  lua_Number num;
  const char *str;
  size_t len;
  size_t seq; /* encounter order, for keys that cannot be ordered */
} key_slot;

static int cmp_keys(const void *x, const void *y) {
  const key_slot *a = x, *b = y;
  int ra = a->type == LUA_TNUMBER ? 0 : a->type == LUA_TSTRING ? 1 : a->type == LUA_TBOOLEAN ? 2 : 3;
  int rb = b->type == LUA_TNUMBER ? 0 : b->type == LUA_TSTRING ? 1 : b->type == LUA_TBOOLEAN ? 2 : 3;
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0 && a->num != b->num) return a->num < b->num ? -1 : 1;
  if (ra == 1) {
    int c = memcmp(a->str, b->str, a->len < b->len ? a->len : b->len);
    if (c) return c;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
  }
  if (ra == 2 && a->num != b->num) return a->num < b->num ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int spairs_next(lua_State *L) {
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));
  for (;;) {
    i++;
    if (lua_rawgeti(L, lua_upvalueindex(1), i) == LUA_TNIL) return 0;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) break;
    lua_pop(L, 2); /* removed while iterating */
  }
  lua_pushinteger(L, i);
  lua_replace(L, lua_upvalueindex(3));
  return 2;
}

/* Pushes the list of the keys of the table at t (an absolute index) in a
 * fixed order: numbers, then strings (byte order), then booleans, then other
 * keys as found. Raw (no metamethods); the work memory belongs to Lua, so an
 * error leaks nothing. */
static void push_sorted_keys(lua_State *L, int t) {
  size_t n = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    n++;
  }
  key_slot *ks = lua_newuserdatauv(L, (n ? n : 1) * sizeof *ks, 0);
  size_t i = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    key_slot *k = &ks[i];
    memset(k, 0, sizeof *k);
    k->type = lua_type(L, -1);
    k->seq = i++;
    if (k->type == LUA_TNUMBER) k->num = lua_tonumber(L, -1);
    else if (k->type == LUA_TSTRING) k->str = lua_tolstring(L, -1, &k->len); /* a key of t */
    else if (k->type == LUA_TBOOLEAN) k->num = lua_toboolean(L, -1);
  }
  qsort(ks, n, sizeof *ks, cmp_keys);
  size_t *rank = lua_newuserdatauv(L, (n ? n : 1) * sizeof *rank, 0);
  for (i = 0; i < n; i++) rank[ks[i].seq] = i;
  /* walk again in the same next() order, placing each key at its rank */
  lua_createtable(L, (int)n, 0);
  size_t seq = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, (lua_Integer)rank[seq++] + 1);
  }
  lua_replace(L, -3);
  lua_pop(L, 1);
}

/* pairs(t) in the order of push_sorted_keys, so output does not depend on
 * Lua's hash seed. A __pairs metamethod is honoured. */
static int spairs(lua_State *L) {
  if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
    lua_pushvalue(L, 1);
    lua_call(L, 1, 3);
    return 3;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  push_sorted_keys(L, 1);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, spairs_next, 3);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

/* Calls fn for every string key of the table at t, in sorted order (vidx:
 * the value's stack index). Raw: safe outside a protected call. */
typedef void (*kv_fn)(hstate *s, const char *key, int vidx, void *ctx);
static void each_sorted(hstate *s, int t, kv_fn fn, void *ctx) {
  lua_State *L = s->L;
  t = lua_absindex(L, t);
  push_sorted_keys(L, t);
  int keys = lua_gettop(L);
  lua_Integer n = (lua_Integer)lua_rawlen(L, keys);
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_rawgeti(L, keys, i) == LUA_TSTRING) {
      lua_pushvalue(L, -1);
      if (lua_rawget(L, t) != LUA_TNIL) fn(s, lua_tostring(L, -2), lua_gettop(L), ctx);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* ---- sandbox ----------------------------------------------------------------- */

static int disabled(lua_State *L) {
  return luaL_error(L, "%s is disabled in hooks (" UNSAFE_HINT ")",
                    lua_tostring(L, lua_upvalueindex(1)));
}

static void disable(lua_State *L, const char *lib, const char *fn) {
  char full[64];
  snprintf(full, sizeof full, "%s%s%s", lib ? lib : "", lib ? "." : "", fn);
  if (lib) lua_getglobal(L, lib);
  else lua_pushglobaltable(L);
  lua_pushstring(L, full);
  lua_pushcclosure(L, disabled, 1);
  lua_setfield(L, -2, fn);
  lua_pop(L, 1);
}

/* realpath of `path` (relative to the site folder unless absolute), or NULL
 * with errno set. */
static char *site_realpath(const hg_hooks *h, const char *path) {
  char *full = path[0] == '/' ? hg_xstrdup(path) : hg_path_join(h->site_dir, path);
  char *r = realpath(full, NULL);
  free(full);
  return r;
}

static bool inside(const char *real, const char *dir) {
  size_t n = strlen(dir);
  return !strncmp(real, dir, n) && (real[n] == '/' || real[n] == '\0');
}

/* io.open / io.lines: read-only, inside the site folder. Upvalue 1 is the
 * original function; the name of the function is upvalue 2. */
static int sb_io(lua_State *L) {
  hstate *s = state_of(L);
  const char *fn = lua_tostring(L, lua_upvalueindex(2));
  bool is_open = !strcmp(fn, "io.open");
  const char *path = luaL_checkstring(L, 1);
  if (is_open) {
    const char *mode = luaL_optstring(L, 2, "r");
    if (strcmp(mode, "r") && strcmp(mode, "rb"))
      return luaL_error(L, "io.open: hooks may only read files (mode '%s' refused; " UNSAFE_HINT ")",
                        mode);
  }
  errno = 0;
  char *real = site_realpath(s->h, path);
  if (!real) {
    int e = errno;
    if (!is_open) return luaL_error(L, "%s: %s", path, strerror(e));
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(e));
    lua_pushinteger(L, e);
    return 3;
  }
  if (!inside(real, s->h->site_real)) {
    free(real);
    return luaL_error(L, "%s: '%s' is outside the site folder (hooks may only read files "
                      "inside it; " UNSAFE_HINT ")", fn, path);
  }
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushstring(L, real);
  free(real);
  for (int i = 2; i <= n; i++) lua_pushvalue(L, i);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L) - n;
}

/* Finds a Lua file for require/dofile/loadfile: `path` is relative to the
 * site folder. Returns 0 and *real (caller frees) when it is inside
 * SITE/hooks/, 1 when it does not exist, 2 when it is outside. */
static int find_hooks_file(const hg_hooks *h, const char *path, char **real) {
  *real = site_realpath(h, path);
  if (!*real) return 1;
  if (inside(*real, h->hooks_real)) return 0;
  free(*real);
  *real = NULL;
  return 2;
}

/* The same for dofile/loadfile; raises unless found (nothing is held). */
static char *hooks_file_or_raise(lua_State *L, const char *fn, const char *path) {
  char *real;
  int r = find_hooks_file(state_of(L)->h, path, &real);
  if (r == 0) return real;
  luaL_error(L, "%s: '%s' is %s (hooks may only load files from the site's hooks/ folder; "
             UNSAFE_HINT ")", fn, path, r == 1 ? "not found" : "outside the site's hooks/ folder");
  return NULL;
}

/* Loads a hook source file as a chunk named "@hooks/REL" (text only). */
static int load_hooks_chunk(lua_State *L, const char *real) {
  hstate *s = state_of(L);
  size_t len;
  hg_error *err = NULL;
  char *text = hg_read_file(real, &len, &err);
  if (!text) {
    lua_pushstring(L, err->msg);
    hg_error_free(err);
    return LUA_ERRFILE;
  }
  const char *rel = real + strlen(s->h->hooks_real) + 1;
  char *chunk = hg_strdup_printf("@hooks/%s", rel);
  int st = luaL_loadbufferx(L, text, len, chunk, "t");
  free(chunk);
  free(text);
  return st;
}

static int sb_loadfile(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char *real = hooks_file_or_raise(L, "loadfile", path);
  int st = load_hooks_chunk(L, real);
  free(real);
  if (st != LUA_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  if (!lua_isnoneornil(L, 3)) {
    lua_pushvalue(L, 3);
    lua_setupvalue(L, -2, 1);
  }
  return 1;
}

static int sb_dofile(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char *real = hooks_file_or_raise(L, "dofile", path);
  int st = load_hooks_chunk(L, real);
  free(real);
  if (st != LUA_OK) return lua_error(L);
  int base = lua_gettop(L) - 1;
  lua_call(L, 0, LUA_MULTRET);
  return lua_gettop(L) - base;
}

/* require(name): modules from SITE/hooks/ only ("lib.util" ->
 * hooks/lib/util.lua or hooks/lib/util/init.lua); each gets its own
 * globals (reading through to the shared ones). */
static int sb_require(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_settop(L, 1);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if (lua_getfield(L, 2, name) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  bool ok = *name && name[0] != '.' && name[0] != '/';
  for (const char *p = name; *p && ok; p++)
    ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
         *p == '_' || *p == '-' || ((*p == '.' || *p == '/') && p[1] && p[1] != '.' && p[1] != '/');
  if (!ok)
    return luaL_error(L, "require: '%s' is outside the site's hooks/ folder (hooks may only "
                      "require modules from it; " UNSAFE_HINT ")", name);
  char *rel = hg_xstrdup(name);
  for (char *p = rel; *p; p++)
    if (*p == '.') *p = '/';
  char *f1 = hg_strdup_printf("hooks/%s.lua", rel), *f2 = hg_strdup_printf("hooks/%s/init.lua", rel);
  free(rel);
  char *real;
  int r = find_hooks_file(state_of(L)->h, f1, &real);
  if (r == 1) r = find_hooks_file(state_of(L)->h, f2, &real);
  if (r) {
    lua_pushfstring(L, "require: module '%s' %s (hooks may only require modules from the site's "
                    "hooks/ folder: looked for %s and %s)", name,
                    r == 1 ? "not found" : "is outside the site's hooks/ folder", f1, f2);
    free(f1);
    free(f2);
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
    return lua_error(L);
  }
  free(f1);
  free(f2);
  int st = load_hooks_chunk(L, real);
  free(real);
  if (st != LUA_OK) return lua_error(L);
  lua_newtable(L); /* the module's globals */
  lua_newtable(L);
  lua_pushglobaltable(L);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setupvalue(L, -2, 1);
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, 2, name);
  return 1;
}

/* load(): text chunks only (binary chunks can crash the VM). */
static int sb_load(lua_State *L) {
  const char *mode = luaL_optstring(L, 3, "t");
  if (strchr(mode, 'b'))
    return luaL_error(L, "load: binary chunks are disabled in hooks (" UNSAFE_HINT ")");
  int n = lua_gettop(L);
  if (n < 3) lua_settop(L, 3);
  n = lua_gettop(L);
  lua_pushstring(L, "t");
  lua_replace(L, 3);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

/* print(): to stderr, so the build's own output stays clean. */
static int sb_print(lua_State *L) {
  int n = lua_gettop(L);
  hg_buf b = HG_BUF_INIT;
  for (int i = 1; i <= n; i++) {
    size_t l;
    const char *s = luaL_tolstring(L, i, &l);
    if (i > 1) hg_buf_putc(&b, '\t');
    hg_buf_append(&b, s, l);
    lua_pop(L, 1);
  }
  fprintf(stderr, "%s\n", hg_buf_cstr(&b));
  hg_buf_free(&b);
  return 0;
}

static void wrap_io(lua_State *L, const char *fn) {
  lua_getglobal(L, "io");
  lua_getfield(L, -1, fn);
  lua_pushfstring(L, "io.%s", fn);
  lua_pushcclosure(L, sb_io, 2);
  lua_setfield(L, -2, fn);
  lua_pop(L, 1);
}

static void sandbox(lua_State *L) {
  static const char *const os_off[] = {"execute", "exit", "remove", "rename", "tmpname",
                                       "getenv", "setlocale", NULL};
  static const char *const io_off[] = {"popen", "tmpfile", "input", "output", "read", "write",
                                       NULL};
  for (size_t i = 0; os_off[i]; i++) disable(L, "os", os_off[i]);
  for (size_t i = 0; io_off[i]; i++) disable(L, "io", io_off[i]);
  lua_getglobal(L, "io");
  lua_pushnil(L);
  lua_setfield(L, -2, "stdin");
  lua_pushnil(L);
  lua_setfield(L, -2, "stdout");
  lua_pushnil(L);
  lua_setfield(L, -2, "stderr");
  lua_pop(L, 1);
  wrap_io(L, "open");
  wrap_io(L, "lines");
  lua_getglobal(L, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 1);
  lua_pushcfunction(L, sb_require);
  lua_setglobal(L, "require");
  lua_pushcfunction(L, sb_dofile);
  lua_setglobal(L, "dofile");
  lua_pushcfunction(L, sb_loadfile);
  lua_setglobal(L, "loadfile");
  lua_getglobal(L, "load");
  lua_pushcclosure(L, sb_load, 1);
  lua_setglobal(L, "load");
}

/* ---- tables for articles, folders, config -------------------------------------- */

static void set_str(lua_State *L, const char *key, const char *v) {
  if (!v) return;
  lua_pushstring(L, v);
  lua_setfield(L, -2, key);
}

static void set_int(lua_State *L, const char *key, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, key);
}

static void set_bool(lua_State *L, const char *key, bool v) {
  lua_pushboolean(L, v);
  lua_setfield(L, -2, key);
}

static void set_list(lua_State *L, const char *key, char *const *items, size_t n) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, items[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, key);
}

/* A link to url_dir relative to the site root ("orders/x/index.html"). */
static void set_url(lua_State *L, const hg_site *site, const char *url_dir) {
  char *u = hg_site_link(site, "", url_dir);
  lua_pushstring(L, *u ? u : "./");
  free(u);
  lua_setfield(L, -2, "url");
}

/* The category folder (depth 1) above folder f, or 0 for the root. */
static size_t top_folder(const hg_content *c, size_t f) {
  while (f > 0 && c->folders[f].depth > 1) f = (size_t)c->folders[f].parent;
  return f;
}

static void set_place(lua_State *L, const hg_content *c, size_t folder) {
  size_t top = top_folder(c, folder);
  const char *rel = c->folders[folder].rel_dir;
  const char *slash = strchr(rel, '/');
  lua_pushlstring(L, rel, slash ? (size_t)(slash - rel) : strlen(rel));
  lua_setfield(L, -2, "category");
  set_str(L, "section", slash ? slash + 1 : "");
  set_str(L, "category_title", top ? c->folders[top].title : "");
  set_str(L, "section_title", c->folders[folder].depth > 1 ? c->folders[folder].title : "");
}

/* The article table hooks see. `art` is its site->arts index (-1 before the
 * site exists); *md_ptr receives the address of the pushed Markdown. */
static void push_article(hstate *s, const hg_content *c, const hg_article *a, long art,
                         const hg_md_result *md, const char **md_ptr) {
  lua_State *L = s->L;
  lua_createtable(L, 0, 24);
  lua_pushfstring(L, "content/%s", a->rel_path);
  lua_setfield(L, -2, "path");
  set_str(L, "lang", s->h->cfg->language);
  set_str(L, "title", a->title);
  set_str(L, "description", a->description);
  set_str(L, "slug", a->slug);
  set_int(L, "weight", a->weight);
  set_list(L, "tags", a->tags, a->ntags);
  set_list(L, "keywords", a->keywords, a->nkeywords);
  set_bool(L, "draft", a->draft);
  set_bool(L, "promoted", a->promoted);
  set_bool(L, "faq", a->faq);
  set_str(L, "date", a->date);
  set_str(L, "updated", a->updated);
  set_place(L, c, a->folder);
  if (a->meta && a->meta->type == HG_V_MAP) push_value(L, a->meta);
  else lua_newtable(L);
  lua_setfield(L, -2, "meta");
  if (art >= 0 && s->h->site) set_url(L, s->h->site, s->h->site->arts[art].url_dir);
  if (md) set_int(L, "words", (lua_Integer)md->words);
  if (md_ptr) {
    lua_pushlstring(L, a->body ? a->body : "", a->body_len);
    *md_ptr = lua_tostring(L, -1);
    lua_setfield(L, -2, "markdown");
  }
}

/* A folder (category or section) table; with `deep`, its sub-folders too. */
static void push_folder(hstate *s, size_t n, bool deep) {
  lua_State *L = s->L;
  const hg_site *site = s->h->site;
  const hg_folder *f = &site->content->folders[n];
  luaL_checkstack(L, 6, "folders too deep");
  lua_createtable(L, 0, 10);
  lua_pushfstring(L, "content/%s%s_index.md", f->rel_dir, *f->rel_dir ? "/" : "");
  lua_setfield(L, -2, "path");
  set_str(L, "dir", f->rel_dir);
  set_str(L, "title", f->title);
  set_str(L, "description", f->description);
  set_str(L, "icon", f->icon);
  set_int(L, "depth", f->depth);
  set_int(L, "count", (lua_Integer)site->nodes[n].total);
  set_url(L, site, site->nodes[n].url_dir);
  if (!deep) return;
  const hg_site_node *node = &site->nodes[n];
  lua_createtable(L, (int)node->nchildren, 0);
  for (size_t i = 0; i < node->nchildren; i++) {
    push_folder(s, node->children[i], true);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "sections");
}

static void push_config(lua_State *L, const hg_config *c) {
  if (c->root && c->root->type == HG_V_MAP) push_value(L, c->root);
  else lua_newtable(L);
  set_str(L, "title", c->title);
  set_str(L, "description", c->description);
  set_str(L, "base_url", c->base_url);
  set_str(L, "language", c->language);
  set_str(L, "logo", c->logo);
  set_str(L, "theme", c->theme);
  set_str(L, "footer", c->footer);
  set_str(L, "links", c->pretty_links ? "pretty" : "index");
  if (lua_getfield(L, -1, "contact") != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
  }
  set_str(L, "label", c->contact_label);
  set_str(L, "email", c->contact_email);
  set_str(L, "url", c->contact_url);
  set_str(L, "phone", c->contact_phone);
  lua_setfield(L, -2, "contact");
  if (lua_getfield(L, -1, "markdown") != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
  }
  set_bool(L, "unsafe", c->markdown_unsafe);
  lua_setfield(L, -2, "markdown");
  lua_createtable(L, (int)c->nnav, 0);
  for (size_t i = 0; i < c->nnav; i++) {
    lua_createtable(L, 0, 2);
    set_str(L, "title", c->nav[i].title);
    set_str(L, "url", c->nav[i].url);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "nav");
}

static void set_config_global(hstate *s) {
  lua_State *L = s->L;
  lua_getglobal(L, "helpgen");
  push_config(L, s->h->cfg);
  lua_setfield(L, -2, "config");
  lua_pop(L, 1);
}

/* ---- the helpgen module ---------------------------------------------------------- */

static const char HTML_MT[] = "helpgen.html";
static const char DATA_CACHE[] = "helpgen.data";

/* "hooks/x.lua:12" of the Lua code that called the current C function. */
static void caller_where(lua_State *L, char *buf, size_t n, int *line) {
  lua_Debug ar;
  buf[0] = '\0';
  *line = 0;
  if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
    snprintf(buf, n, "%s", ar.short_src);
    *line = ar.currentline;
  }
}

static int h_log(lua_State *L) {
  hstate *s = state_of(L);
  hg_severity sev = (hg_severity)lua_tointeger(L, lua_upvalueindex(1));
  const char *msg = luaL_tolstring(L, 1, NULL);
  char src[128];
  int line;
  caller_where(L, src, sizeof src, &line);
  char *where = disp_src(s->h, src);
  if (s->ctx.doc)
    hg_diags_add(s->ctx.diags, sev, s->ctx.doc, s->ctx.doc_line, 0, "%s (%s:%d)", msg, where,
                 line);
  else
    hg_diags_add(s->ctx.diags, sev, *where ? where : NULL, line, 0, "%s", msg);
  free(where);
  return 0;
}

static int h_slugify(lua_State *L) {
  char *slug = hg_slugify(luaL_checkstring(L, 1));
  lua_pushstring(L, slug);
  free(slug);
  return 1;
}

static int h_escape(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (size_t i = 0; i < n; i++) {
    switch (s[i]) {
    case '&': luaL_addstring(&b, "&amp;"); break;
    case '<': luaL_addstring(&b, "&lt;"); break;
    case '>': luaL_addstring(&b, "&gt;"); break;
    case '"': luaL_addstring(&b, "&quot;"); break;
    case '\'': luaL_addstring(&b, "&#39;"); break;
    default: luaL_addchar(&b, s[i]);
    }
  }
  luaL_pushresult(&b);
  return 1;
}

static int h_html(lua_State *L) {
  luaL_checkstring(L, 1);
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "html");
  luaL_setmetatable(L, HTML_MT);
  return 1;
}

static int html_tostring(lua_State *L) {
  lua_getfield(L, 1, "html");
  return 1;
}

/* Links in helpgen.markdown() text resolve as in the document being
 * processed. */
static char *md_resolve(void *ctx, const char *target, int kind, int line, int col,
                        hg_diags *diags) {
  hstate *s = ctx;
  return hg_site_resolve(s->h->site, s->ctx.art, s->ctx.from_dir, s->ctx.page_dir, target,
                         kind == HG_LINK_IMAGE, s->ctx.doc, line, col, diags);
}

static int h_markdown(lua_State *L) {
  hstate *s = state_of(L);
  size_t n;
  const char *md = luaL_checklstring(L, 1, &n);
  hg_md_opts o = {.path = s->ctx.doc ? s->ctx.doc : "hooks",
                  .line_offset = s->ctx.doc_line > 0 ? s->ctx.doc_line - 1 : 0,
                  .unsafe = s->h->cfg->markdown_unsafe};
  if (s->h->site && s->ctx.from_dir && s->ctx.page_dir) {
    o.resolve = md_resolve;
    o.resolve_ctx = s;
  }
  hg_md_result r = {0};
  hg_md_render(md, n, &o, &r, s->ctx.diags);
  lua_pushstring(L, r.html ? r.html : "");
  hg_md_result_free(&r);
  return 1;
}

static int h_read_data(lua_State *L) {
  hstate *s = state_of(L);
  const char *rel = luaL_checkstring(L, 1);
  if (!hg_output_rel_ok(rel))
    return luaL_error(L, "helpgen.read_data: '%s' is outside the site's data/ folder (give a "
                      "path relative to it, without '..')", rel);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, DATA_CACHE);
  if (lua_getfield(L, -1, rel) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  bool yaml = hg_str_has_suffix(rel, ".yaml") || hg_str_has_suffix(rel, ".yml");
  if (!yaml && !hg_str_has_suffix(rel, ".json"))
    return luaL_error(L, "helpgen.read_data: '%s' should end in .yaml, .yml or .json", rel);
  char *path = hg_strdup_printf("%s/data/%s", s->h->site_dir, rel);
  char *shown = hg_strdup_printf("%sdata/%s", s->h->disp, rel);
  char *real = realpath(path, NULL); /* a link in data/ may not leave the site */
  bool outside = real && s->h->site_real && !inside(real, s->h->site_real) &&
                 !s->h->follow_outside && !s->h->unsafe;
  free(real);
  if (outside) {
    free(path);
    lua_pushfstring(L, "helpgen.read_data: %s is a symbolic link to a file outside the site "
                    "folder (copy the file into data/, or set 'site: {follow_outside_links: "
                    "true}' in helpgen.yaml)", shown);
    free(shown);
    return lua_error(L);
  }
  hg_error *err = NULL;
  size_t len = 0;
  char *text = hg_is_file(path) ? hg_read_file(path, &len, &err) : NULL;
  free(path);
  bool ok = text != NULL;
  if (!ok) {
    lua_pushfstring(L, "helpgen.read_data: %s", err ? err->msg : "");
    if (!err) {
      lua_pop(L, 1);
      lua_pushfstring(L, "helpgen.read_data: %s not found", shown);
    }
  } else if (yaml) {
    hg_value *v = hg_yaml_parse(text, len, shown, 0, &err);
    if (err) {
      ok = false;
      lua_pushfstring(L, "helpgen.read_data: %s", err->msg);
    } else {
      push_value(L, v);
    }
    hg_value_free(v);
  } else {
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY, &je);
    if (!j) {
      ok = false;
      lua_pushfstring(L, "helpgen.read_data: %s:%d:%d: %s", shown, je.line, je.column, je.text);
    } else {
      push_json(L, j);
      json_decref(j);
    }
  }
  free(text);
  free(shown);
  hg_error_free(err);
  if (!ok) {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
    return lua_error(L);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, rel);
  return 1;
}

/* url_dir of a content path ("content/a/b.md", "a/b.md", "a/", "a"), or
 * NULL when nothing published lives there. */
static const char *url_dir_of(const hg_site *site, const char *p) {
  if (hg_str_has_prefix(p, "content/")) p += strlen("content/");
  else if (!strcmp(p, "content")) p = "";
  char *rel = hg_xstrdup(p);
  size_t n = strlen(rel);
  while (n && rel[n - 1] == '/') rel[--n] = '\0';
  const char *out = NULL;
  bool md = hg_str_has_suffix(rel, ".md") || hg_str_has_suffix(rel, ".markdown");
  if (md && strcmp(hg_path_basename(rel), "_index.md")) {
    long a = hg_strmap_get(&site->by_path, rel, -1);
    if (a >= 0) out = site->arts[a].url_dir;
  } else {
    if (md) {
      char *slash = strrchr(rel, '/');
      if (slash) *slash = '\0';
      else rel[0] = '\0';
    }
    long f = hg_strmap_get(&site->by_dir, rel, -1);
    if (f >= 0) out = site->nodes[f].url_dir;
  }
  free(rel);
  return out;
}

static int h_url_for(lua_State *L) {
  hstate *s = state_of(L);
  const hg_site *site = s->h->site;
  if (!site)
    return luaL_error(L, "helpgen.url_for: URLs are not known yet in %s (use it in shortcodes, "
                      "on_html, on_page or on_build_end)", s->ctx.what ? s->ctx.what : "this hook");
  if (lua_istable(L, 1)) lua_getfield(L, 1, "path");
  else lua_pushvalue(L, 1);
  const char *p = lua_tostring(L, -1);
  if (!p) return luaL_error(L, "helpgen.url_for: expected an article table or a path such as "
                            "'content/orders/track.md'");
  const char *dir = url_dir_of(site, p);
  if (!dir) {
    lua_pushnil(L);
    return 1;
  }
  char *root = s->ctx.page_dir ? hg_site_root_prefix(s->ctx.page_dir) : hg_xstrdup("");
  char *u = hg_site_link(site, root, dir);
  lua_pushstring(L, *u ? u : "./");
  free(u);
  free(root);
  return 1;
}

/* The Lua value at idx as JSON (NULL with *why on failure; nothing raised,
 * so nothing leaks). Tables that are lists 1..n (or empty) become arrays. */
static json_t *to_json(lua_State *L, int idx, int depth, const char **why) {
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
  case LUA_TNIL: return json_null();
  case LUA_TBOOLEAN: return json_boolean(lua_toboolean(L, idx));
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx)) return json_integer((json_int_t)lua_tointeger(L, idx));
    {
      json_t *r = json_real(lua_tonumber(L, idx));
      if (!r) *why = "a number that JSON cannot hold (nan or inf)";
      return r;
    }
  case LUA_TSTRING: {
    size_t n;
    const char *v = lua_tolstring(L, idx, &n);
    json_t *r = json_stringn(v, n);
    if (!r) *why = "a string that is not UTF-8";
    return r;
  }
  case LUA_TTABLE: break;
  default:
    *why = "a value JSON cannot hold (a function or userdata)";
    return NULL;
  }
  if (depth >= MAX_DEPTH || !lua_checkstack(L, 4)) {
    *why = "tables nested too deeply (a table that contains itself?)";
    return NULL;
  }
  size_t n = 0;
  bool strs = true, seq = true;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    n++;
    strs &= lua_type(L, -2) == LUA_TSTRING;
    seq &= is_index(L, -2);
    lua_pop(L, 1);
  }
  json_t *out;
  if (n == 0 || (seq && count_seq(L, idx, n) == n)) {
    out = json_array();
    for (size_t i = 1; i <= n; i++) {
      lua_rawgeti(L, idx, (lua_Integer)i);
      json_t *v = to_json(L, -1, depth + 1, why);
      lua_pop(L, 1);
      if (!v) {
        json_decref(out);
        return NULL;
      }
      json_array_append_new(out, v);
    }
    return out;
  }
  if (!strs) {
    *why = "a table with both list items and other keys (JSON objects need string keys)";
    return NULL;
  }
  out = json_object();
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    json_t *v = to_json(L, -1, depth + 1, why);
    if (!v) {
      lua_pop(L, 2);
      json_decref(out);
      return NULL;
    }
    json_object_set_new(out, lua_tostring(L, -2), v);
    lua_pop(L, 1);
  }
  return out;
}

/* helpgen.json(value [, pretty]): JSON text with sorted keys. */
static int h_json(lua_State *L) {
  luaL_checkany(L, 1);
  const char *why = NULL;
  json_t *j = to_json(L, 1, 0, &why);
  if (!j) return luaL_error(L, "helpgen.json: cannot encode %s", why);
  char *text = json_dumps(j, JSON_SORT_KEYS | JSON_ENCODE_ANY |
                                 (lua_toboolean(L, 2) ? JSON_INDENT(2) : JSON_COMPACT));
  json_decref(j);
  lua_pushstring(L, text ? text : "null");
  free(text);
  return 1;
}

static int h_write(lua_State *L) {
  hstate *s = state_of(L);
  const char *rel = luaL_checkstring(L, 1);
  size_t n;
  const char *data = luaL_checklstring(L, 2, &n);
  if (!s->ctx.out)
    return luaL_error(L, "helpgen.write is only available in on_build_end");
  if (!hg_output_rel_ok(rel) || !strcmp(rel, HG_OUTPUT_MARKER))
    return luaL_error(L, "helpgen.write: '%s' is outside the output folder (give a path "
                      "relative to it, without '..')", rel);
  hg_error *err = NULL;
  if (!hg_output_write(s->ctx.out, rel, data, n, &err)) {
    luaL_where(L, 1);
    lua_pushfstring(L, "helpgen.write: %s", err ? err->msg : "failed");
    hg_error_free(err);
    lua_concat(L, 2);
    return lua_error(L);
  }
  return 0;
}

static void open_helpgen(lua_State *L) {
  static const luaL_Reg fns[] = {{"slugify", h_slugify},   {"escape", h_escape},
                                 {"html", h_html},         {"markdown", h_markdown},
                                 {"read_data", h_read_data}, {"url_for", h_url_for},
                                 {"write", h_write},       {"json", h_json},
                                 {NULL, NULL}};
  luaL_newlib(L, fns);
  lua_createtable(L, 0, 2);
  lua_pushinteger(L, HG_WARN);
  lua_pushcclosure(L, h_log, 1);
  lua_setfield(L, -2, "warn");
  lua_pushinteger(L, HG_ERR);
  lua_pushcclosure(L, h_log, 1);
  lua_setfield(L, -2, "error");
  lua_setfield(L, -2, "log");
  lua_pushstring(L, HG_VERSION);
  lua_setfield(L, -2, "version");
  lua_setglobal(L, "helpgen");
  luaL_newmetatable(L, HTML_MT);
  lua_pushcfunction(L, html_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
}

/* ---- states -------------------------------------------------------------------- */

static int setup_state(lua_State *L) {
  hstate *s = lua_touserdata(L, 1);
  hg_hooks *h = s->h;
  if (h->unsafe) {
    luaL_openlibs(L);
    lua_getglobal(L, "package");
    lua_pushfstring(L, "%s/hooks/?.lua;%s/hooks/?/init.lua;", h->site_dir, h->site_dir);
    lua_getfield(L, -2, "path");
    lua_concat(L, 2);
    lua_setfield(L, -2, "path");
    lua_pop(L, 1);
  } else {
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},      {LUA_COLIBNAME, luaopen_coroutine},
                                    {LUA_TABLIBNAME, luaopen_table}, {LUA_IOLIBNAME, luaopen_io},
                                    {LUA_OSLIBNAME, luaopen_os},     {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8},
                                    {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->name; l++) {
      luaL_requiref(L, l->name, l->func, 1);
      lua_pop(L, 1);
    }
    sandbox(L);
  }
  lua_pushcfunction(L, spairs);
  lua_setglobal(L, "pairs");
  lua_pushcfunction(L, sb_print);
  lua_setglobal(L, "print");
  lua_getglobal(L, "math");
  lua_getfield(L, -1, "randomseed");
  s->seed_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);
  open_helpgen(L);
  for (int k = 0; k < K_COUNT; k++) {
    lua_newtable(L);
    s->fns[k] = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_newtable(L);
  s->sc_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  s->sc_file_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  set_config_global(s);
  return 0;
}

typedef struct {
  int file;
  bool ok;
} collect_ctx;

static void add_shortcode(hstate *s, const char *name, int vidx, void *ctx) {
  collect_ctx *cc = ctx;
  lua_State *L = s->L;
  if (!lua_isfunction(L, vidx)) {
    add_error(s, cc->file, "shortcodes.%s should be a function, found a %s", name,
              luaL_typename(L, vidx));
    cc->ok = false;
    return;
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, s->sc_file_ref);
  if (lua_getfield(L, -1, name) != LUA_TNIL) {
    add_error(s, cc->file, "shortcode '%s' is already defined in %shooks/%s", name, s->h->disp,
              s->h->files[lua_tointeger(L, -1)]);
    cc->ok = false;
  } else {
    lua_pushinteger(L, cc->file);
    lua_setfield(L, -3, name);
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->sc_ref);
    lua_pushvalue(L, vidx);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
}

/* Collects the hooks and shortcodes that file i defined (the table on top
 * of the stack: its globals, or the table the file returned). */
static bool collect_hooks(hstate *s, int i) {
  lua_State *L = s->L;
  int t = lua_gettop(L);
  bool ok = true;
  for (int k = 0; k < K_COUNT; k++) {
    int ty = rawfield(L, t, kind_names[k]);
    if (ty == LUA_TFUNCTION) {
      lua_rawgeti(L, LUA_REGISTRYINDEX, s->fns[k]);
      lua_insert(L, -2);
      lua_rawseti(L, -2, ++s->nfns[k]);
      lua_pop(L, 1);
      s->fn_file[k] = hg_xrealloc(s->fn_file[k], (size_t)s->nfns[k] * sizeof(int));
      s->fn_file[k][s->nfns[k] - 1] = i;
      continue;
    }
    if (ty != LUA_TNIL) {
      add_error(s, i, "'%s' should be a function, found a %s", kind_names[k], lua_typename(L, ty));
      ok = false;
    }
    lua_pop(L, 1);
  }
  collect_ctx cc = {i, true};
  if (rawfield(L, t, "shortcodes") == LUA_TTABLE) {
    /* in sorted order, so a duplicate is reported the same way every time */
    each_sorted(s, lua_gettop(L), add_shortcode, &cc);
  }
  lua_pop(L, 1);
  return ok && cc.ok;
  return ok;
}

static bool load_files(hstate *s) {
  lua_State *L = s->L;
  hg_hooks *h = s->h;
  bool ok = true;
  for (size_t i = 0; i < h->nfiles && ok; i++) {
    char *chunk = hg_strdup_printf("@hooks/%s", h->files[i]);
    int st = luaL_loadbufferx(L, h->srcs[i], h->src_lens[i], chunk, "t");
    free(chunk);
    if (st != LUA_OK) {
      char *fb = hg_strdup_printf("%shooks/%s", h->disp, h->files[i]);
      add_lua_error(s, lua_tostring(L, -1), fb);
      free(fb);
      lua_pop(L, 1);
      ok = false;
      break;
    }
    /* the file's own globals, reading through to the shared ones */
    lua_createtable(L, 0, 8);
    lua_newtable(L);
    lua_setfield(L, -2, "shortcodes");
    lua_createtable(L, 0, 1);
    lua_pushglobaltable(L);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setupvalue(L, -3, 1);
    lua_insert(L, -2); /* env, chunk */
    if (!pcall_hook(s, 0, 1, (int)i)) {
      lua_pop(L, 1);
      ok = false;
      break;
    }
    if (lua_istable(L, -1)) lua_remove(L, -2); /* the file returned its hooks */
    else lua_pop(L, 1);
    ok = collect_hooks(s, (int)i);
    lua_pop(L, 1);
  }
  return ok;
}

static void state_free(hstate *s) {
  if (!s) return;
  if (s->L) lua_close(s->L);
  for (int k = 0; k < K_COUNT; k++) free(s->fn_file[k]);
  free(s);
}

static hstate *state_new(hg_hooks *h, hg_diags *diags) {
  hstate *s = hg_xcalloc(1, sizeof *s);
  s->h = h;
  s->cap = h->mem_limit;
  s->step = h->instr_limit < 1000 ? (int)h->instr_limit : 1000;
  s->ctx.diags = diags;
  lua_State *L = lua_newstate(l_alloc, s);
  if (!L) {
    hg_diags_add(diags, HG_ERR, NULL, 0, 0, "hooks: cannot create a Lua state (out of memory)");
    free(s);
    return NULL;
  }
  s->L = L;
  lua_gc(L, LUA_GCGEN, 0, 0); /* most tables live for one call */
  lua_sethook(L, count_hook, LUA_MASKCOUNT, s->step);
  lua_pushcfunction(L, setup_state);
  lua_pushlightuserdata(L, s);
  if (!pcall_hook(s, 1, 0, -1) || !load_files(s)) s->broken = true;
  return s;
}

/* The state of `worker`, created on first use; NULL if it cannot run. */
static hstate *get_state(hg_hooks *h, int worker, hg_diags *diags) {
  if (worker < 0 || worker >= h->nstates) worker = 0;
  if (!h->states[worker]) {
    /* state 0 already reported what loading the files says; another state
     * only adds errors (which the same files should not give) */
    hg_diags scratch = {0};
    h->states[worker] = state_new(h, &scratch);
    for (size_t i = 0; i < scratch.len; i++)
      if (scratch.items[i].sev == HG_ERR)
        hg_diags_add(diags, HG_ERR, scratch.items[i].path, scratch.items[i].line,
                     scratch.items[i].col, "%s", scratch.items[i].msg);
    hg_diags_free(&scratch);
  }
  hstate *s = h->states[worker];
  if (!s || s->broken) return NULL;
  memset(&s->ctx, 0, sizeof s->ctx);
  s->ctx.diags = diags;
  s->ctx.art = -1;
  return s;
}

/* math.random gives the same numbers for the same document whatever state
 * runs it. */
static void reseed(hstate *s, const char *key) {
  lua_State *L = s->L;
  lua_rawgeti(L, LUA_REGISTRYINDEX, s->seed_ref);
  lua_pushinteger(L, (lua_Integer)(hg_hash64(key, strlen(key)) >> 1));
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) lua_pop(L, 1);
}

static void push_fn(hstate *s, int kind, int i) {
  lua_rawgeti(s->L, LUA_REGISTRYINDEX, s->fns[kind]);
  lua_rawgeti(s->L, -1, i + 1);
  lua_remove(s->L, -2);
}

/* ---- on_config --------------------------------------------------------------------- */

/* Copies string setting `key` of the table at t into *field. */
static bool take_str(hstate *s, int t, const char *key, const char *name, char **field,
                     bool nullable, int file) {
  lua_State *L = s->L;
  int ty = rawfield(L, t, key);
  bool ok = true;
  if (ty == LUA_TNIL && nullable) {
    free(*field);
    *field = NULL;
  } else if (ty == LUA_TSTRING || ty == LUA_TNUMBER) {
    const char *v = lua_tostring(L, -1);
    if (!*field || strcmp(*field, v)) {
      free(*field);
      *field = hg_xstrdup(v);
    }
  } else {
    add_error(s, file, "on_config: config.%s should be a string, found a %s", name,
              lua_typename(L, ty));
    ok = false;
  }
  lua_pop(L, 1);
  return ok;
}

static bool valid_base_url(hg_config *c) {
  const char *u = c->base_url;
  free(c->base_path);
  c->base_path = NULL;
  if (!*u) {
    c->base_path = hg_xstrdup("/");
    return true;
  }
  const char *p = strstr(u, "://");
  if (!p || (!hg_str_has_prefix(u, "http://") && !hg_str_has_prefix(u, "https://")) ||
      p[3] == '\0' || p[3] == '/')
    return false;
  const char *slash = strchr(p + 3, '/');
  c->base_path = hg_strdup_printf("%s%s", slash ? slash : "/",
                                  slash && u[strlen(u) - 1] == '/' ? "" : "/");
  if (u[strlen(u) - 1] != '/') {
    char *nu = hg_strdup_printf("%s/", u);
    free(c->base_url);
    c->base_url = nu;
  }
  return true;
}

/* Copies the settings helpgen understands from the config table at t. */
static bool apply_config(hstate *s, int t, hg_config *c, int file) {
  lua_State *L = s->L;
  bool ok = take_str(s, t, "title", "title", &c->title, false, file) &&
            take_str(s, t, "description", "description", &c->description, false, file) &&
            take_str(s, t, "base_url", "base_url", &c->base_url, false, file) &&
            take_str(s, t, "language", "language", &c->language, false, file) &&
            take_str(s, t, "theme", "theme", &c->theme, false, file) &&
            take_str(s, t, "footer", "footer", &c->footer, true, file);
  if (!ok) return false;
  char *logo = c->logo ? hg_xstrdup(c->logo) : NULL;
  ok = take_str(s, t, "logo", "logo", &c->logo, true, file);
  if (ok && c->logo && (!logo || strcmp(logo, c->logo))) {
    char *lp = hg_path_join(c->site_dir, c->logo);
    if (!hg_is_file(lp)) {
      add_error(s, file, "on_config: logo '%s' not found (looked for %s)", c->logo, lp);
      ok = false;
    }
    free(lp);
  }
  free(logo);
  if (!ok) return false;
  if (!valid_base_url(c)) {
    add_error(s, file, "on_config: base_url must be an absolute http(s) URL such as "
              "https://example.com/help/, found '%s'", c->base_url);
    return false;
  }
  if (!*c->language || !*c->title || strchr(c->theme, '/') || c->theme[0] == '.' || !*c->theme) {
    add_error(s, file, "on_config: title and language must not be empty, and theme must be a "
              "folder name under themes/");
    return false;
  }
  if (rawfield(L, t, "links") == LUA_TSTRING) c->pretty_links = !strcmp(lua_tostring(L, -1), "pretty");
  lua_pop(L, 1);
  if (rawfield(L, t, "markdown") == LUA_TTABLE) {
    rawfield(L, -1, "unsafe");
    c->markdown_unsafe = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (rawfield(L, t, "contact") == LUA_TTABLE) {
    int ct = lua_gettop(L);
    ok = take_str(s, ct, "label", "contact.label", &c->contact_label, false, file) &&
         take_str(s, ct, "email", "contact.email", &c->contact_email, true, file) &&
         take_str(s, ct, "url", "contact.url", &c->contact_url, true, file) &&
         take_str(s, ct, "phone", "contact.phone", &c->contact_phone, true, file);
  }
  lua_pop(L, 1);
  if (ok && rawfield(L, t, "nav") == LUA_TTABLE) {
    size_t n = (size_t)lua_rawlen(L, -1);
    for (size_t i = 0; i < c->nnav; i++) {
      free(c->nav[i].title);
      free(c->nav[i].url);
    }
    free(c->nav);
    c->nav = hg_xcalloc(n ? n : 1, sizeof *c->nav);
    c->nnav = 0;
    for (size_t i = 0; i < n; i++) {
      if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TTABLE) {
        lua_pop(L, 1);
        continue;
      }
      rawfield(L, -1, "title");
      rawfield(L, -2, "url");
      if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
        c->nav[c->nnav].title = hg_xstrdup(lua_tostring(L, -2));
        c->nav[c->nnav++].url = hg_xstrdup(lua_tostring(L, -1));
      }
      lua_pop(L, 3);
    }
  }
  lua_pop(L, 1);
  if (!ok) return false;
  char *why = NULL;
  hg_value *root = to_value(L, t, c->root, "config", 0, &why);
  if (!root) {
    add_error(s, file, "on_config: %s", why);
    free(why);
    return false;
  }
  hg_value_free(c->root);
  c->root = root;
  return true;
}

bool hg_hooks_on_config(hg_hooks *h, hg_config *cfg, hg_diags *diags) {
  if (!h) return true;
  h->cfg = cfg;
  hstate *s = get_state(h, 0, diags);
  if (!s) return false;
  lua_State *L = s->L;
  s->ctx.what = "on_config";
  bool ok = true;
  if (s->nfns[K_CONFIG]) {
    reseed(s, "on_config");
    push_config(L, cfg);
    int t = lua_gettop(L);
    int file = 0;
    for (int i = 0; i < s->nfns[K_CONFIG] && ok; i++) {
      file = s->fn_file[K_CONFIG][i];
      push_fn(s, K_CONFIG, i);
      lua_pushvalue(L, t);
      ok = pcall_hook(s, 1, 1, file);
      if (ok && lua_istable(L, -1)) { /* returned settings are merged in */
        lua_pushnil(L);
        while (lua_next(L, -2)) {
          lua_pushvalue(L, -2);
          lua_insert(L, -2);
          lua_settable(L, t);
        }
      }
      if (ok) lua_pop(L, 1);
    }
    if (ok) ok = apply_config(s, t, cfg, file);
    lua_settop(L, t - 1);
  }
  set_config_global(s);
  return ok;
}

/* ---- on_article ------------------------------------------------------------------------ */

bool hg_hooks_unsafe(const hg_hooks *h) { return h && h->unsafe; }

bool hg_hooks_has_on_article(const hg_hooks *h) {
  return h && h->has[K_ARTICLE];
}

hg_hook_result hg_hooks_on_article(hg_hooks *h, int worker, hg_article *a,
                                   const hg_content *c, hg_diags *diags) {
  if (!h || !h->has[K_ARTICLE] || a->failed) return HG_HOOK_KEEP;
  hstate *s = get_state(h, worker, diags);
  if (!s) return HG_HOOK_ERROR;
  lua_State *L = s->L;
  int top = lua_gettop(L);
  s->ctx.doc = a->path;
  s->ctx.what = "on_article";
  reseed(s, a->rel_path);
  const char *md_ptr = NULL;
  push_article(s, c, a, -1, NULL, &md_ptr);
  int t = lua_gettop(L);
  hg_hook_result res = HG_HOOK_KEEP;
  int file = 0;
  for (int i = 0; i < s->nfns[K_ARTICLE] && res == HG_HOOK_KEEP; i++) {
    file = s->fn_file[K_ARTICLE][i];
    push_fn(s, K_ARTICLE, i);
    lua_pushvalue(L, t);
    if (!pcall_hook(s, 1, 1, file)) res = HG_HOOK_ERROR;
    else if (lua_isboolean(L, -1) && !lua_toboolean(L, -1)) res = HG_HOOK_DROP;
    lua_settop(L, t);
  }
  bool changed = false;
  if (res == HG_HOOK_KEEP) {
    /* copy back what the hooks changed */
    char *why = NULL;
    int ty = rawfield(L, t, "meta");
    hg_value *meta = ty == LUA_TNIL ? NULL : ty == LUA_TTABLE ? to_value(L, -1, a->meta, "article.meta", 0, &why) : NULL;
    if (ty != LUA_TNIL && ty != LUA_TTABLE)
      why = hg_strdup_printf("article.meta should be a table, found a %s", lua_typename(L, ty));
    if (why) {
      add_error(s, file, "on_article: %s", why);
      free(why);
      res = HG_HOOK_ERROR;
    } else if (meta && meta->len == 0 && !a->meta) {
      hg_value_free(meta);
    } else if (!value_equal(meta, a->meta)) {
      hg_value_free(a->meta);
      a->meta = meta;
      changed = true;
    } else {
      hg_value_free(meta);
    }
    lua_pop(L, 1);
    size_t n;
    ty = rawfield(L, t, "markdown");
    const char *md = lua_tolstring(L, -1, &n);
    if (ty != LUA_TSTRING && ty != LUA_TNUMBER) {
      add_error(s, file, "on_article: article.markdown should be a string, found a %s",
                lua_typename(L, ty));
      res = HG_HOOK_ERROR;
    } else if (md != md_ptr && (n != a->body_len || memcmp(md, a->body, n))) {
      free(a->body);
      a->body = hg_xstrndup(md, n);
      a->body_len = n;
      changed = true;
    }
    lua_pop(L, 1);
  }
  lua_settop(L, top);
  if (res == HG_HOOK_KEEP && changed && !hg_article_apply_meta(a, diags)) res = HG_HOOK_ERROR;
  return res;
}

void hg_hooks_set_site(hg_hooks *h, const hg_site *s) {
  if (h) h->site = s;
}

/* ---- shortcodes --------------------------------------------------------------------- */

struct hg_hooks_html {
  char mark[24]; /* "hgsc" + 16 hex digits: the start of every placeholder */
  char **html;
  size_t n;
};

typedef struct {
  const char *key; /* NULL for positional arguments */
  size_t key_len;
  hg_buf val;
} sc_arg;

typedef struct {
  const char *name;
  size_t name_len;
  bool closing, self_closing;
  sc_arg *args;
  size_t nargs;
  const char *end; /* just after ">}}" */
} sc_tag;

typedef struct {
  hstate *s;
  const hg_hooks_doc *doc;
  const char *md, *md_end; /* the whole text (for line numbers) */
  int line_base;
  const char *doc_path;
  int art_ref;             /* the article table, made on first use */
  hg_hooks_html *html;
} sc_run;

static void tag_free(sc_tag *t) {
  for (size_t i = 0; i < t->nargs; i++) hg_buf_free(&t->args[i].val);
  free(t->args);
  memset(t, 0, sizeof *t);
}

static bool sc_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-';
}

static bool sc_space(char c) {
  return c == ' ' || c == '\t' || c == '\n';
}

/* Parses the tag at p ("{{<"). Returns false with *why (a static text)
 * when it is malformed. */
static bool tag_parse(const char *p, const char *end, sc_tag *t, const char **why) {
  memset(t, 0, sizeof *t);
  p += 3;
  while (p < end && sc_space(*p)) p++;
  if (p < end && *p == '/') {
    t->closing = true;
    p++;
    while (p < end && sc_space(*p)) p++;
  }
  t->name = p;
  while (p < end && sc_name_char(*p)) p++;
  t->name_len = (size_t)(p - t->name);
  if (!t->name_len) {
    *why = "a shortcode needs a name: {{< name key=\"value\" >}}";
    return false;
  }
  for (;;) {
    while (p < end && sc_space(*p)) p++;
    if (p + 3 <= end && !memcmp(p, ">}}", 3)) {
      t->end = p + 3;
      return true;
    }
    if (p + 4 <= end && !memcmp(p, "/>}}", 4)) {
      t->self_closing = true;
      t->end = p + 4;
      return true;
    }
    if (p >= end || t->closing) break;
    sc_arg a = {0};
    const char *w = p;
    while (p < end && !sc_space(*p) && *p != '=' && *p != '"' && *p != '\'' && *p != '>') p++;
    if (p < end && *p == '=' && p > w) {
      a.key = w;
      a.key_len = (size_t)(p - w);
      p++;
    } else {
      p = w;
    }
    if (p < end && (*p == '"' || *p == '\'')) {
      char q = *p++;
      while (p < end && *p != q) {
        if (*p == '\\' && p + 1 < end && (p[1] == q || p[1] == '\\')) p++;
        hg_buf_putc(&a.val, *p++);
      }
      if (p >= end) {
        hg_buf_free(&a.val);
        break;
      }
      p++;
    } else {
      const char *v = p;
      while (p < end && !sc_space(*p) && !(p + 3 <= end && !memcmp(p, ">}}", 3)) &&
             !(p + 4 <= end && !memcmp(p, "/>}}", 4)))
        p++;
      if (p == v) {
        hg_buf_free(&a.val);
        break;
      }
      hg_buf_append(&a.val, v, (size_t)(p - v));
    }
    hg_buf_cstr(&a.val);
    if (!a.val.data) hg_buf_append(&a.val, "", 0);
    t->args = hg_xrealloc(t->args, (t->nargs + 1) * sizeof *t->args);
    t->args[t->nargs++] = a;
  }
  tag_free(t);
  *why = "unclosed shortcode (expected >}} after the arguments; quote values with spaces)";
  return false;
}

static int sc_line(const sc_run *r, const char *p) {
  int line = r->line_base + 1;
  for (const char *q = r->md; q < p && q < r->md_end; q++) line += *q == '\n';
  return line;
}

/* The matching {{< /name >}} after a tag, or NULL. */
static const char *find_close(const char *p, const char *end, const sc_tag *open,
                              const char **close_end) {
  int depth = 0;
  while (p < end && (p = memmem(p, (size_t)(end - p), "{{<", 3)) != NULL) {
    sc_tag t;
    const char *why;
    if (!tag_parse(p, end, &t, &why)) {
      p += 3;
      continue;
    }
    bool same = t.name_len == open->name_len && !memcmp(t.name, open->name, t.name_len);
    const char *at = p;
    p = t.end;
    if (same && t.closing) {
      if (depth == 0) {
        *close_end = t.end;
        tag_free(&t);
        return at;
      }
      depth--;
    } else if (same && !t.self_closing) {
      depth++;
    }
    tag_free(&t);
  }
  return NULL;
}

static void push_doc(sc_run *r) {
  hstate *s = r->s;
  lua_State *L = s->L;
  if (r->art_ref != LUA_NOREF) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->art_ref);
    return;
  }
  const hg_site *site = s->h->site;
  if (r->doc->art >= 0) {
    const hg_article *a = &site->content->articles[site->arts[r->doc->art].article];
    push_article(s, site->content, a, r->doc->art, NULL, NULL);
  } else {
    push_folder(s, (size_t)r->doc->node, false);
  }
  lua_pushvalue(L, -1);
  r->art_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

static void sc_expand(sc_run *r, const char *p, const char *end, hg_buf *out, int depth);

/* Calls one shortcode and appends what it returned. */
static void sc_call(sc_run *r, const sc_tag *t, const char *inner, const char *inner_end,
                    int line, hg_buf *out, int depth) {
  hstate *s = r->s;
  lua_State *L = s->L;
  int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, s->sc_ref);
  lua_pushlstring(L, t->name, t->name_len);
  const char *name = lua_tostring(L, -1);
  if (lua_rawget(L, -2) != LUA_TFUNCTION) {
    hg_diags_add(s->ctx.diags, HG_ERR, r->doc_path, line, 0,
                 "unknown shortcode '%s' (define shortcodes.%s in a file under %shooks/)", name,
                 name, s->h->disp);
    lua_settop(L, top);
    return;
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, s->sc_file_ref);
  lua_getfield(L, -1, name);
  int file = (int)lua_tointeger(L, -1);
  lua_pop(L, 2);
  lua_createtable(L, 0, (int)t->nargs);
  lua_Integer pos = 0;
  for (size_t i = 0; i < t->nargs; i++) {
    const sc_arg *a = &t->args[i];
    if (a->key) lua_pushlstring(L, a->key, a->key_len);
    else lua_pushinteger(L, ++pos);
    lua_pushlstring(L, a->val.data, a->val.len);
    lua_rawset(L, -3);
  }
  if (inner) {
    hg_buf in = HG_BUF_INIT;
    sc_expand(r, inner, inner_end, &in, depth + 1);
    lua_pushlstring(L, hg_buf_cstr(&in), in.len);
    hg_buf_free(&in);
  } else {
    lua_pushnil(L);
  }
  push_doc(r);
  s->ctx.doc_line = line;
  if (!pcall_hook(s, 3, 1, file)) {
    s->ctx.doc_line = 0;
    lua_settop(L, top);
    return;
  }
  if (luaL_testudata(L, -1, HTML_MT) || (lua_istable(L, -1) && lua_getmetatable(L, -1) &&
                                         (luaL_getmetatable(L, HTML_MT), lua_rawequal(L, -1, -2)))) {
    lua_settop(L, top + 3);
    rawfield(L, top + 2, "html");
    hg_hooks_html *h = r->html;
    h->html = hg_xrealloc(h->html, (h->n + 1) * sizeof *h->html);
    h->html[h->n] = hg_xstrdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "");
    hg_buf_printf(out, "%sn%zuz", h->mark, h->n);
    h->n++;
  } else if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
    size_t n;
    const char *v = lua_tolstring(L, -1, &n);
    hg_buf_append(out, v, n);
  } else if (!lua_isnil(L, -1)) {
    add_error(s, file, "shortcode '%s' returned a %s (return Markdown text, or HTML wrapped in "
              "helpgen.html(...))", name, luaL_typename(L, -1));
  }
  s->ctx.doc_line = 0;
  lua_settop(L, top);
}

/* Length of the fence ("```" or "~~~", 3 or more) opening the line at p,
 * or 0. */
static size_t fence_at(const char *p, const char *end, char *ch) {
  int ind = 0;
  while (p < end && *p == ' ' && ind < 4) p++, ind++;
  if (ind > 3 || p >= end || (*p != '`' && *p != '~')) return 0;
  size_t n = 0;
  while (p + n < end && p[n] == *p) n++;
  if (n < 3) return 0;
  *ch = *p;
  return n;
}

static void sc_expand(sc_run *r, const char *p, const char *end, hg_buf *out, int depth) {
  if (depth > MAX_DEPTH / 4) {
    hg_diags_add(r->s->ctx.diags, HG_ERR, r->doc_path, sc_line(r, p), 0,
                 "shortcodes nested too deeply");
    return;
  }
  char fence = 0;
  size_t fence_len = 0;
  bool bol = true;
  while (p < end) {
    if (bol) {
      const char *eol = memchr(p, '\n', (size_t)(end - p));
      eol = eol ? eol + 1 : end;
      char ch;
      size_t fl = fence_at(p, end, &ch);
      if (fence_len ? (fl >= fence_len && ch == fence) : fl > 0) {
        fence = ch;
        fence_len = fence_len ? 0 : fl;
        hg_buf_append(out, p, (size_t)(eol - p));
        p = eol;
        continue;
      }
      if (fence_len) {
        hg_buf_append(out, p, (size_t)(eol - p));
        p = eol;
        continue;
      }
      bol = false;
    }
    char c = *p;
    if (c == '\n') {
      hg_buf_putc(out, c);
      p++;
      bol = true;
    } else if (c == '`') {
      /* a code span: copied as written up to the same run of backticks */
      size_t n = 0;
      while (p + n < end && p[n] == '`') n++;
      const char *q = p + n, *close = NULL;
      while (q < end) {
        if (*q == '\n' && q + 1 < end && q[1] == '\n') break;
        if (*q == '`') {
          size_t m = 0;
          while (q + m < end && q[m] == '`') m++;
          if (m == n) {
            close = q + m;
            break;
          }
          q += m;
        } else {
          q++;
        }
      }
      const char *to = close ? close : p + n;
      hg_buf_append(out, p, (size_t)(to - p));
      p = to;
    } else if (c == '{' && p + 3 <= end && p[1] == '{' && p[2] == '<') {
      sc_tag t;
      const char *why;
      int line = sc_line(r, p);
      if (!tag_parse(p, end, &t, &why)) {
        hg_diags_add(r->s->ctx.diags, HG_ERR, r->doc_path, line, 0, "%s", why);
        hg_buf_append(out, p, 3);
        p += 3;
        continue;
      }
      if (t.closing) {
        hg_diags_add(r->s->ctx.diags, HG_ERR, r->doc_path, line, 0,
                     "'{{< /%.*s >}}' without an opening '{{< %.*s >}}'", (int)t.name_len,
                     t.name, (int)t.name_len, t.name);
        p = t.end;
        tag_free(&t);
        continue;
      }
      const char *inner = NULL, *inner_end = NULL, *next = t.end;
      if (!t.self_closing) {
        const char *ce;
        inner_end = find_close(t.end, end, &t, &ce);
        if (inner_end) {
          inner = t.end;
          next = ce;
        }
      }
      size_t before = out->len;
      sc_call(r, &t, inner, inner_end, line, out, depth);
      /* a shortcode on lines of its own keeps the line count, so later
       * messages still point at the right line */
      bool own_line = (p == r->md || p[-1] == '\n') && (next == end || *next == '\n');
      if (own_line) {
        size_t had = 0, now = 0;
        for (const char *q = p; q < next; q++) had += *q == '\n';
        for (size_t i = before; i < out->len; i++) now += out->data[i] == '\n';
        for (; now < had; now++) hg_buf_putc(out, '\n');
      }
      p = next;
      tag_free(&t);
    } else {
      const char *q = p + 1;
      while (q < end && *q != '\n' && *q != '`' && *q != '{') q++;
      hg_buf_append(out, p, (size_t)(q - p));
      p = q;
    }
  }
}

char *hg_hooks_shortcodes(hg_hooks *h, int worker, const hg_hooks_doc *doc, const char *md,
                          size_t len, size_t *out_len, hg_hooks_html **html, hg_diags *diags) {
  *html = NULL;
  if (!h || !h->site || !md || !memmem(md, len, "{{<", 3)) return NULL;
  hstate *s = get_state(h, worker, diags);
  if (!s) return NULL;
  const hg_content *c = h->site->content;
  sc_run r = {.s = s, .doc = doc, .md = md, .md_end = md + len, .art_ref = LUA_NOREF};
  if (doc->art >= 0) {
    const hg_article *a = &c->articles[h->site->arts[doc->art].article];
    r.doc_path = a->path;
    r.line_base = a->body_line;
    s->ctx.page_dir = h->site->arts[doc->art].url_dir;
    s->ctx.from_dir = c->folders[a->folder].rel_dir;
    s->ctx.art = doc->art;
    reseed(s, a->rel_path);
  } else {
    const hg_folder *f = &c->folders[doc->node];
    r.doc_path = f->index_path ? f->index_path : f->path;
    r.line_base = f->intro_line;
    s->ctx.page_dir = h->site->nodes[doc->node].url_dir;
    s->ctx.from_dir = f->rel_dir;
    s->ctx.art = -1;
    reseed(s, r.doc_path);
  }
  s->ctx.doc = r.doc_path;
  s->ctx.what = "a shortcode";
  r.html = hg_xcalloc(1, sizeof *r.html);
  snprintf(r.html->mark, sizeof r.html->mark, "hgsc%016llx",
           (unsigned long long)hg_hash64(md, len));
  hg_buf out = HG_BUF_INIT;
  sc_expand(&r, md, md + len, &out, 0);
  if (r.art_ref != LUA_NOREF) luaL_unref(s->L, LUA_REGISTRYINDEX, r.art_ref);
  if (r.html->n) *html = r.html;
  else free(r.html);
  *out_len = out.len;
  return hg_buf_steal(&out);
}

/* Appends the text of HTML (tags dropped, the five entities decoded). */
static void html_text(hg_buf *out, const char *h) {
  static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
                                       {"&quot;", "\""}, {"&#39;", "'"}};
  bool tag = false;
  for (const char *p = h; *p; p++) {
    if (tag) {
      tag = *p != '>';
      continue;
    }
    if (*p == '<') {
      tag = true;
      continue;
    }
    bool done = false;
    for (size_t i = 0; i < 5 && !done && *p == '&'; i++) {
      size_t n = strlen(ent[i][0]);
      if (!strncmp(p, ent[i][0], n)) {
        hg_buf_puts(out, ent[i][1]);
        p += n - 1;
        done = true;
      }
    }
    if (!done) hg_buf_putc(out, *p);
  }
}

/* What a placeholder becomes: the HTML, its plain text, or a slug of it
 * (in ids, and inside tags: a heading's id attribute). */
typedef enum { SUB_HTML, SUB_TEXT, SUB_SLUG } sub_mode;

static void subst(const hg_hooks_html *h, const char *s, hg_buf *out, sub_mode mode, int depth) {
  size_t ml = strlen(h->mark);
  const char *p = s, *q;
  while ((q = strstr(p, h->mark)) != NULL) {
    hg_buf_append(out, p, (size_t)(q - p));
    const char *d = q + ml;
    char *e = NULL;
    unsigned long long i = *d == 'n' ? strtoull(d + 1, &e, 10) : ULLONG_MAX;
    if (i >= h->n || *e != 'z' || depth > MAX_DEPTH) {
      hg_buf_append(out, q, ml);
      p = q + ml;
      continue;
    }
    p = e + 1;
    sub_mode m = mode;
    if (m == SUB_HTML) {
      const char *lt = NULL, *gt = NULL;
      for (size_t k = out->len; k-- > 0 && !lt && !gt;) {
        if (out->data[k] == '<') lt = out->data + k;
        else if (out->data[k] == '>') gt = out->data + k;
      }
      if (lt) m = SUB_SLUG; /* inside a tag */
    }
    if (m == SUB_HTML) {
      /* a placeholder alone in a paragraph stands for a block */
      if (out->len >= 3 && !memcmp(out->data + out->len - 3, "<p>", 3) && !strncmp(p, "</p>", 4)) {
        out->len -= 3;
        out->data[out->len] = '\0';
        p += 4;
      }
      subst(h, h->html[i], out, SUB_HTML, depth + 1);
      continue;
    }
    hg_buf html = HG_BUF_INIT, text = HG_BUF_INIT;
    subst(h, h->html[i], &html, SUB_HTML, depth + 1);
    html_text(&text, hg_buf_cstr(&html));
    if (m == SUB_TEXT) {
      hg_buf_append(out, hg_buf_cstr(&text), text.len);
    } else {
      char *slug = hg_slugify(hg_buf_cstr(&text));
      hg_buf_puts(out, slug);
      free(slug);
    }
    hg_buf_free(&html);
    hg_buf_free(&text);
  }
  hg_buf_puts(out, p);
}

static void subst_field(const hg_hooks_html *h, char **field, sub_mode mode) {
  if (!*field || !strstr(*field, h->mark)) return;
  hg_buf b = HG_BUF_INIT;
  subst(h, *field, &b, mode, 0);
  free(*field);
  *field = hg_buf_steal(&b);
}

void hg_hooks_html_apply(hg_hooks_html *h, hg_md_result *r) {
  if (!h) return;
  subst_field(h, &r->html, SUB_HTML);
  subst_field(h, &r->text, SUB_TEXT);
  subst_field(h, &r->first_h1, SUB_TEXT);
  for (size_t i = 0; i < r->ntoc; i++) {
    subst_field(h, &r->toc[i].id, SUB_SLUG);
    subst_field(h, &r->toc[i].text, SUB_TEXT);
  }
  for (size_t i = 0; i < r->nfaq; i++) {
    subst_field(h, &r->faq[i].id, SUB_SLUG);
    subst_field(h, &r->faq[i].question, SUB_TEXT);
    subst_field(h, &r->faq[i].answer_html, SUB_HTML);
    subst_field(h, &r->faq[i].answer_text, SUB_TEXT);
  }
  for (size_t i = 0; i < h->n; i++) free(h->html[i]);
  free(h->html);
  free(h);
}

/* ---- on_html ------------------------------------------------------------------------ */

bool hg_hooks_on_html(hg_hooks *h, int worker, const hg_hooks_doc *doc, hg_md_result *r,
                      hg_diags *diags) {
  if (!h || !h->has[K_HTML] || !h->site || doc->art < 0) return true;
  hstate *s = get_state(h, worker, diags);
  if (!s) return false;
  lua_State *L = s->L;
  const hg_site *site = h->site;
  const hg_article *a = &site->content->articles[site->arts[doc->art].article];
  int top = lua_gettop(L);
  s->ctx.doc = a->path;
  s->ctx.what = "on_html";
  s->ctx.page_dir = site->arts[doc->art].url_dir;
  s->ctx.from_dir = site->content->folders[a->folder].rel_dir;
  s->ctx.art = doc->art;
  reseed(s, a->rel_path);
  push_article(s, site->content, a, doc->art, r, NULL);
  lua_pushstring(L, r->html ? r->html : "");
  const char *orig = lua_tostring(L, -1);
  bool ok = true;
  for (int i = 0; i < s->nfns[K_HTML] && ok; i++) {
    int file = s->fn_file[K_HTML][i];
    push_fn(s, K_HTML, i);
    lua_pushvalue(L, top + 1);
    lua_pushvalue(L, top + 2);
    ok = pcall_hook(s, 2, 1, file);
    if (!ok) break;
    if (lua_type(L, -1) == LUA_TSTRING) {
      lua_replace(L, top + 2);
    } else if (!lua_isnil(L, -1)) {
      add_error(s, file, "on_html should return the HTML (a string) or nil, found a %s",
                luaL_typename(L, -1));
      ok = false;
    } else {
      lua_pop(L, 1);
    }
  }
  if (ok && lua_tostring(L, top + 2) != orig) {
    size_t n;
    const char *html = lua_tolstring(L, top + 2, &n);
    free(r->html);
    r->html = hg_xstrndup(html, n);
  }
  lua_settop(L, top);
  return ok;
}

/* ---- on_page ------------------------------------------------------------------------ */

/* "reading_time" -> prefix + "READING_TIME". */
static char *var_name(const char *prefix, const char *key) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, prefix);
  for (const char *q = key; *q; q++)
    hg_buf_putc(&b, (*q >= 'a' && *q <= 'z') ? (char)(*q - 32)
                    : ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')) ? *q : '_');
  return hg_buf_steal(&b);
}

typedef struct {
  hg_dict *d;
  bool global;
  bool bad;
  const char *bad_key;
  const char *bad_type;
} page_vals;

/* The text of a scalar value at idx, or NULL. */
static const char *scalar_text(lua_State *L, int idx, bool *shown) {
  switch (lua_type(L, idx)) {
  case LUA_TBOOLEAN:
    *shown = lua_toboolean(L, idx);
    return *shown ? "true" : "";
  case LUA_TNUMBER:
  case LUA_TSTRING: {
    lua_pushvalue(L, idx);
    const char *v = lua_tostring(L, -1);
    lua_replace(L, idx);
    *shown = *v != '\0';
    return lua_tostring(L, idx);
  }
  default: return NULL;
  }
}

static void set_field(hstate *s, const char *key, int vidx, void *ctx) {
  page_vals *pv = ctx;
  bool shown;
  const char *v = scalar_text(s->L, vidx, &shown);
  char *name = var_name("", key);
  if (v) hg_dict_set(pv->d, name, v);
  free(name);
}

static void set_page_value(hstate *s, const char *key, int vidx, void *ctx) {
  page_vals *pv = ctx;
  lua_State *L = s->L;
  char *name = var_name("HOOK_", key);
  bool shown = false;
  const char *v = scalar_text(L, vidx, &shown);
  if (v) {
    hg_dict_set_global(pv->d, name, v);
    if (shown) hg_dict_show_global(pv->d, name);
  } else if (lua_istable(L, vidx)) {
    size_t n = (size_t)lua_rawlen(L, vidx);
    for (size_t i = 0; i < n; i++) {
      lua_rawgeti(L, vidx, (lua_Integer)i + 1);
      int it = lua_gettop(L);
      page_vals sub = {hg_dict_add_section(pv->d, name), false, false, NULL, NULL};
      if (lua_istable(L, it)) {
        each_sorted(s, it, set_field, &sub);
      } else {
        const char *iv = scalar_text(L, it, &shown);
        if (iv) hg_dict_set(sub.d, "VALUE", iv);
      }
      lua_pop(L, 1);
    }
  } else if (!pv->bad) {
    pv->bad = true;
    pv->bad_key = key;
    pv->bad_type = luaL_typename(L, vidx);
  }
  free(name);
}

bool hg_hooks_on_page(hg_hooks *h, int worker, const hg_hooks_page *pg, hg_dict *d,
                      hg_diags *diags) {
  if (!h || !h->has[K_PAGE] || !h->site) return true;
  hstate *s = get_state(h, worker, diags);
  if (!s) return false;
  lua_State *L = s->L;
  const hg_site *site = h->site;
  const hg_content *c = site->content;
  int top = lua_gettop(L);
  char *label = NULL;
  const hg_article *a = pg->art >= 0 ? &c->articles[site->arts[pg->art].article] : NULL;
  if (a) s->ctx.doc = a->path;
  else if (pg->node >= 0) s->ctx.doc = c->folders[pg->node].index_path ? c->folders[pg->node].index_path : c->folders[pg->node].path;
  else s->ctx.what = label = hg_strdup_printf("on_page for the %s page", pg->kind);
  s->ctx.page_dir = pg->url_dir;
  reseed(s, *pg->url_dir ? pg->url_dir : pg->kind);
  lua_createtable(L, 0, 8);
  set_str(L, "kind", pg->kind);
  set_str(L, "title", pg->title);
  set_url(L, site, pg->url_dir);
  char *root = hg_site_root_prefix(pg->url_dir);
  set_str(L, "root", root);
  free(root);
  if (a) {
    push_article(s, c, a, pg->art, pg->md, NULL);
    lua_setfield(L, -2, "article");
  } else if (pg->node >= 0) {
    push_folder(s, (size_t)pg->node, false);
    lua_setfield(L, -2, "folder");
  }
  int t = lua_gettop(L);
  bool ok = true;
  for (int i = 0; i < s->nfns[K_PAGE] && ok; i++) {
    int file = s->fn_file[K_PAGE][i];
    push_fn(s, K_PAGE, i);
    lua_pushvalue(L, t);
    ok = pcall_hook(s, 1, 1, file);
    if (!ok) break;
    int r = lua_gettop(L);
    if (lua_istable(L, r)) {
      page_vals pv = {d, true, false, NULL, NULL};
      each_sorted(s, r, set_page_value, &pv);
      if (pv.bad) {
        add_error(s, file, "on_page: value '%s' is a %s (return strings, numbers, booleans or "
                  "lists of tables)", pv.bad_key, pv.bad_type);
        ok = false;
      }
    } else if (!lua_isnil(L, r)) {
      add_error(s, file, "on_page should return a table of values or nil, found a %s",
                luaL_typename(L, r));
      ok = false;
    }
    lua_settop(L, t);
  }
  lua_settop(L, top);
  free(label);
  return ok;
}

/* ---- on_build_end -------------------------------------------------------------------- */

static void push_summary(hstate *s, const hg_md_result *md) {
  lua_State *L = s->L;
  const hg_site *site = s->h->site;
  const hg_config *cfg = s->h->cfg;
  lua_createtable(L, 0, 8);
  set_str(L, "title", cfg->title);
  set_str(L, "description", cfg->description);
  set_str(L, "base_url", cfg->base_url);
  set_str(L, "language", cfg->language);
  lua_createtable(L, (int)site->narts, 0);
  for (size_t i = 0; i < site->narts; i++) {
    const hg_article *a = &site->content->articles[site->arts[i].article];
    push_article(s, site->content, a, (long)i, md ? &md[i] : NULL, NULL);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "articles");
  const hg_site_node *root = &site->nodes[0];
  lua_createtable(L, (int)root->nchildren, 0);
  for (size_t i = 0; i < root->nchildren; i++) {
    push_folder(s, root->children[i], true);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "categories");
}

bool hg_hooks_on_build_end(hg_hooks *h, const hg_md_result *md, hg_output *out,
                           hg_diags *diags) {
  if (!h || !h->has[K_BUILD_END] || !h->site) return true;
  hstate *s = get_state(h, 0, diags);
  if (!s) return false;
  lua_State *L = s->L;
  int top = lua_gettop(L);
  s->ctx.what = "on_build_end";
  s->ctx.out = out;
  reseed(s, "on_build_end");
  push_summary(s, md);
  bool ok = true;
  for (int i = 0; i < s->nfns[K_BUILD_END] && ok; i++) {
    push_fn(s, K_BUILD_END, i);
    lua_pushvalue(L, top + 1);
    ok = pcall_hook(s, 1, 0, s->fn_file[K_BUILD_END][i]);
  }
  s->ctx.out = NULL;
  lua_settop(L, top);
  return ok;
}

/* ---- loading -------------------------------------------------------------------------- */

static char *display_dir(const char *dir) {
  while (dir[0] == '.' && dir[1] == '/') dir += 2;
  if (!*dir || !strcmp(dir, ".")) return hg_xstrdup("");
  size_t n = strlen(dir);
  return hg_strdup_printf("%s%s", dir, dir[n - 1] == '/' ? "" : "/");
}

/* A whole-number setting between lo and hi, else a warning and `def`. */
static long long limit_setting(const hg_config *cfg, const hg_value *limits, const char *key,
                               long long lo, long long hi, long long def, hg_diags *diags) {
  const hg_value *v = hg_value_get(limits, key);
  if (!v || v->type == HG_V_NULL) return def;
  if (v->type != HG_V_INT || v->i < lo || v->i > hi) {
    hg_diags_add(diags, HG_WARN, cfg->config_path, v->line, v->col,
                 "'hooks.limits.%s' should be a whole number from %lld to %lld, found '%s' "
                 "(using %lld)", key, lo, hi, v->str ? v->str : hg_value_type_name(v->type), def);
    return def;
  }
  return v->i;
}

static void warn_keys(const hg_config *cfg, const hg_value *map, const char *const *known,
                      const char *prefix, hg_diags *diags) {
  for (size_t i = 0; map && map->type == HG_V_MAP && i < map->len; i++) {
    bool ok = false;
    for (size_t k = 0; known[k] && !ok; k++) ok = !strcmp(known[k], map->keys[i]);
    if (!ok)
      hg_diags_add(diags, HG_WARN, cfg->config_path, map->key_lines[i], 0,
                   "unknown key '%s%s' (ignored; check its spelling)", prefix, map->keys[i]);
  }
}

/* The hook files: the `files` list, else hooks/ *.lua in name order. Both
 * come from one walk of hooks/ whose links may not leave the site. */
static bool find_files(hg_hooks *h, const hg_config *cfg, const hg_value *list, hg_error **err) {
  char *dir = hg_path_join(h->site_dir, "hooks");
  char **found = NULL;
  size_t nfound = 0;
  hg_diags links = {0};
  bool ok = !hg_is_dir(dir) || hg_walk_files(dir, h->site_dir, "the site folder",
                                             cfg->follow_outside_links, &found, &nfound,
                                             &links, err);
  for (size_t i = 0; ok && i < links.len; i++)
    if (links.items[i].sev == HG_ERR) {
      const hg_diag *d = &links.items[i];
      hg_error_set(err, 2, d->path, d->line, d->col, "%s", d->msg);
      ok = false;
    }
  hg_diags_free(&links);
  if (err && *err) (*err)->code = (*err)->code == 130 ? 130 : 2;
  if (ok && list) {
    h->files = hg_xcalloc(list->len ? list->len : 1, sizeof *h->files);
    for (size_t i = 0; i < list->len && ok; i++) {
      const hg_value *v = list->items[i];
      const char *name = hg_value_str(v);
      if (name && hg_str_has_prefix(name, "hooks/")) name += strlen("hooks/");
      bool listed = false;
      for (size_t k = 0; name && k < nfound && !listed; k++) listed = !strcmp(found[k], name);
      if (!name || !hg_output_rel_ok(name) || !hg_str_has_suffix(name, ".lua")) {
        hg_error_set(err, 2, cfg->config_path, v->line, v->col,
                     "hooks: '%s' should name a .lua file in the site's hooks/ folder",
                     v->str ? v->str : hg_value_type_name(v->type));
        ok = false;
      } else if (!listed) {
        hg_error_set(err, 2, cfg->config_path, v->line, v->col,
                     "hooks: '%s' not found (looked for %shooks/%s)", name, h->disp, name);
        ok = false;
      } else {
        h->files[h->nfiles++] = hg_xstrdup(name);
      }
    }
  } else if (ok) {
    for (size_t k = 0; k < nfound; k++) /* found is sorted */
      if (!strchr(found[k], '/') && hg_str_has_suffix(found[k], ".lua")) {
        h->files = hg_xrealloc(h->files, (h->nfiles + 1) * sizeof *h->files);
        h->files[h->nfiles++] = hg_xstrdup(found[k]);
      }
  }
  for (size_t k = 0; k < nfound; k++) free(found[k]);
  free(found);
  free(dir);
  return ok;
}

void hg_hooks_free(hg_hooks *h) {
  if (!h) return;
  for (int i = 0; h->states && i < h->nstates; i++) state_free(h->states[i]);
  free(h->states);
  for (size_t i = 0; i < h->nfiles; i++) {
    free(h->files[i]);
    if (h->srcs) free(h->srcs[i]);
  }
  free(h->files);
  free(h->srcs);
  free(h->src_lens);
  free(h->site_dir);
  free(h->disp);
  free(h->site_real);
  free(h->hooks_real);
  free(h);
}

hg_hooks *hg_hooks_load(const hg_config *cfg, int nstates, hg_diags *diags, hg_error **err) {
  const hg_value *hv = hg_value_get(cfg->root, "hooks");
  const hg_value *list = NULL, *limits = NULL;
  bool unsafe = false;
  if (hv && hv->type == HG_V_LIST) {
    list = hv;
  } else if (hv && hv->type == HG_V_MAP) {
    static const char *const keys[] = {"files", "limits", "allow_unsafe", NULL};
    static const char *const lkeys[] = {"instructions", "memory_mb", NULL};
    warn_keys(cfg, hv, keys, "hooks.", diags);
    list = hg_value_get(hv, "files");
    if (list && list->type != HG_V_LIST) {
      hg_diags_add(diags, HG_WARN, cfg->config_path, list->line, list->col,
                   "'hooks.files' should be a list of .lua files (ignored)");
      list = NULL;
    }
    limits = hg_value_get(hv, "limits");
    warn_keys(cfg, limits, lkeys, "hooks.limits.", diags);
    const hg_value *u = hg_value_get(hv, "allow_unsafe");
    if (u && u->type != HG_V_BOOL && u->type != HG_V_NULL)
      hg_diags_add(diags, HG_WARN, cfg->config_path, u->line, u->col,
                   "'hooks.allow_unsafe' should be true or false (the sandbox stays on)");
    unsafe = hg_value_bool(u, false);
  } else if (hv && hv->type != HG_V_NULL) {
    hg_diags_add(diags, HG_WARN, cfg->config_path, hv->line, hv->col,
                 "'hooks' should be a list of .lua files or a map with files, limits and "
                 "allow_unsafe (ignored)");
  }
  hg_hooks *h = hg_xcalloc(1, sizeof *h);
  h->cfg = (hg_config *)cfg;
  h->site_dir = hg_xstrdup(cfg->site_dir);
  h->disp = display_dir(cfg->site_dir);
  h->unsafe = unsafe;
  h->instr_limit = limit_setting(cfg, limits, "instructions", 1000, 1000000000000LL,
                                 HG_HOOKS_DEFAULT_INSTRUCTIONS, diags);
  h->mem_limit = (size_t)limit_setting(cfg, limits, "memory_mb", 1, 65536,
                                       HG_HOOKS_DEFAULT_MEMORY_MB, diags) << 20;
  if (!find_files(h, cfg, list, err) || !h->nfiles) {
    hg_hooks_free(h);
    return NULL;
  }
  char *hd = hg_path_join(h->site_dir, "hooks");
  h->site_real = realpath(h->site_dir, NULL);
  h->follow_outside = cfg->follow_outside_links;
  h->hooks_real = realpath(hd, NULL);
  free(hd);
  h->srcs = hg_xcalloc(h->nfiles, sizeof *h->srcs);
  h->src_lens = hg_xcalloc(h->nfiles, sizeof *h->src_lens);
  for (size_t i = 0; i < h->nfiles; i++) {
    char *p = hg_strdup_printf("%s/hooks/%s", h->site_dir, h->files[i]);
    h->srcs[i] = hg_read_file(p, &h->src_lens[i], err);
    free(p);
    if (!h->srcs[i] || !h->site_real || !h->hooks_real) {
      if (err && *err) (*err)->code = 2;
      else hg_error_set(err, 2, h->site_dir, 0, 0, "hooks: cannot resolve the site folder");
      hg_hooks_free(h);
      return NULL;
    }
  }
  h->nstates = nstates > 0 ? nstates : 1;
  h->states = hg_xcalloc((size_t)h->nstates, sizeof *h->states);
  hstate *s0 = h->states[0] = state_new(h, diags);
  if (!s0 || s0->broken) {
    hg_hooks_free(h);
    return NULL;
  }
  for (int k = 0; k < K_COUNT; k++) h->has[k] = s0->nfns[k] > 0;
  return h;
}
