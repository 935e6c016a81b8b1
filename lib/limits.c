/*
 * limits.c -- the defaults of corsim_limits.  Each is documented, with its
 * source, in corsim_limits_default(3).
 */
#include <config.h>

#include "internal.h"

CORSIM__API void corsim_limits_default(corsim_limits *l) {
  if (!l)
    return;
  memset(l, 0, sizeof *l);
  l->head_max_headers = CORSIM__DEFAULT_HEAD_MAX_HEADERS;
  l->head_max_line = CORSIM__DEFAULT_HEAD_MAX_LINE;
  l->head_max_bytes = CORSIM__DEFAULT_HEAD_MAX_BYTES;
  l->max_redirects = CORSIM__MAX_REDIRECTS;
  l->xml_max_bytes = CORSIM__DEFAULT_XML_MAX_BYTES;
  l->xml_max_depth = CORSIM__DEFAULT_XML_MAX_DEPTH;
  l->xml_max_nodes = CORSIM__DEFAULT_XML_MAX_NODES;
  l->max_cache_entries = CORSIM__DEFAULT_CACHE_ENTRIES;
  l->list_max_items = CORSIM__DEFAULT_LIST_MAX_ITEMS;
}
