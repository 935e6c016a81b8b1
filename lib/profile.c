/*
 * profile.c -- profiles: the behaviours on which browsers differ
 * (CORSIM__BEHAVIOUR_MAP in internal.h), the built-in "spec" profile (the
 * Fetch Standard at commit 586cd2a, 2026-07-02), and reading a profile's
 * behaviours by id.  Browser profiles are built by profiles_xml.c from
 * data/profiles.xml into the same struct.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "internal.h"

const corsim__behaviour_info corsim__behaviours[CORSIM__B_COUNT] = {
#define XX(name, id, type, spec, values) {id, CORSIM__BT_##type, spec, values},
    CORSIM__BEHAVIOUR_MAP(XX)
#undef XX
};

static const corsim_profile spec_profile = {
    "spec",
    {
#define XX(name, id, type, spec, values) spec,
        CORSIM__BEHAVIOUR_MAP(XX)
#undef XX
    }};

CORSIM__API const corsim_profile *corsim_profile_spec(void) {
  return &spec_profile;
}

CORSIM__API int corsim_profile_builtin(const char *name, size_t len,
                                       const corsim_profile **out) {
  if (!out || (!name && len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  if (len == 4 && memcmp(name, "spec", 4) == 0) {
    *out = &spec_profile;
    return 0;
  }
  return CORSIM_ERR_UNKNOWN_PROFILE;
}

CORSIM__API const char *corsim_profile_name(const corsim_profile *p) {
  return p ? p->name : NULL;
}

int corsim__behaviour_find(const char *id, size_t len) {
  int i;
  if (!id)
    return -1;
  for (i = 0; i < CORSIM__B_COUNT; i++)
    if (strlen(corsim__behaviours[i].id) == len &&
        memcmp(corsim__behaviours[i].id, id, len) == 0)
      return i;
  return -1;
}

/* The k-th name of a space-separated list: sets *p, *len; 0 or -1. */
static int enum_name(const char *values, int k, const char **p, size_t *len) {
  const char *s = values;
  while (s && *s) {
    const char *e = strchr(s, ' ');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    if (k-- == 0) {
      *p = s;
      *len = n;
      return 0;
    }
    s = e ? e + 1 : NULL;
  }
  return -1;
}

int corsim__behaviour_parse(int b, const char *text, size_t len, int *out) {
  const corsim__behaviour_info *bi;
  size_t i;
  if (b < 0 || b >= CORSIM__B_COUNT || (!text && len))
    return -1;
  bi = &corsim__behaviours[b];
  switch (bi->type) {
  case CORSIM__BT_BOOL:
    if (len == 4 && memcmp(text, "true", 4) == 0)
      *out = 1;
    else if (len == 5 && memcmp(text, "false", 5) == 0)
      *out = 0;
    else
      return -1;
    return 0;
  case CORSIM__BT_ENUM: {
    int k;
    const char *p;
    size_t n;
    for (k = 0; enum_name(bi->values, k, &p, &n) == 0; k++)
      if (n == len && memcmp(p, text, len) == 0) {
        *out = k;
        return 0;
      }
    return -1;
  }
  case CORSIM__BT_INT: {
    long v = 0;
    if (len == 0 || len > 10)
      return -1;
    for (i = 0; i < len; i++) {
      if (text[i] < '0' || text[i] > '9')
        return -1;
      v = v * 10 + (text[i] - '0');
    }
    if (v > CORSIM__BEHAVIOUR_INT_MAX)
      return -1;
    *out = (int)v;
    return 0;
  }
  }
  return -1;
}

const char *corsim__behaviour_text(int b, int v, char *buf, size_t len,
                                   size_t *out_len) {
  const corsim__behaviour_info *bi = &corsim__behaviours[b];
  const char *p = "";
  size_t n = 0;
  switch (bi->type) {
  case CORSIM__BT_BOOL:
    p = v ? "true" : "false";
    n = strlen(p);
    break;
  case CORSIM__BT_ENUM:
    if (enum_name(bi->values, v, &p, &n) != 0) {
      p = "";
      n = 0;
    }
    break;
  case CORSIM__BT_INT:
    n = (size_t)snprintf(buf, len, "%d", v);
    p = buf;
    break;
  }
  if (out_len)
    *out_len = n;
  return p;
}

CORSIM__API size_t corsim_behaviour_count(void) { return CORSIM__B_COUNT; }

CORSIM__API const char *corsim_behaviour_id(size_t i) {
  return i < CORSIM__B_COUNT ? corsim__behaviours[i].id : NULL;
}

CORSIM__API int corsim_profile_behaviour(const corsim_profile *p,
                                         const char *id, size_t id_len,
                                         corsim_str *text, long *number) {
  int b;
  size_t n;
  const char *t;
  if (!p || (!id && id_len))
    return CORSIM_ERR_INVALID_ARGUMENT;
  b = corsim__behaviour_find(id, id_len);
  if (b < 0)
    return CORSIM_ERR_NOT_FOUND;
  if (number)
    *number = p->v[b];
  if (text) {
    if (corsim__behaviours[b].type == CORSIM__BT_INT) {
      /* ints have no static text: the caller formats *number */
      text->ptr = "";
      text->len = 0;
    } else {
      char dummy[2];
      t = corsim__behaviour_text(b, p->v[b], dummy, sizeof dummy, &n);
      text->ptr = t;
      text->len = n;
    }
  }
  return 0;
}
