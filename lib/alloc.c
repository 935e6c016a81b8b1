/* alloc.c -- the allocator indirection every object goes through. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void *default_malloc(size_t n, void *ud) {
  (void)ud;
  return malloc(n);
}

static void *default_realloc(void *p, size_t n, void *ud) {
  (void)ud;
  return realloc(p, n);
}

static void default_free(void *p, void *ud) {
  (void)ud;
  free(p);
}

void corsim__alloc_init(corsim_allocator *dst, const corsim_allocator *src) {
  if (src && src->malloc && src->realloc && src->free) {
    *dst = *src;
    return;
  }
  dst->malloc = default_malloc;
  dst->realloc = default_realloc;
  dst->free = default_free;
  dst->user_data = NULL;
}

void *corsim__object_new(const corsim_allocator *src, size_t size,
                         corsim_allocator *a) {
  void *p;
  corsim__alloc_init(a, src);
  p = corsim__malloc(a, size);
  if (p)
    memset(p, 0, size);
  return p;
}

void *corsim__malloc(const corsim_allocator *a, size_t n) {
  return a->malloc(n ? n : 1, a->user_data);
}

void *corsim__realloc(const corsim_allocator *a, void *p, size_t n) {
  return a->realloc(p, n ? n : 1, a->user_data);
}

void corsim__free(const corsim_allocator *a, void *p) {
  if (p)
    a->free(p, a->user_data);
}

int corsim__grow(const corsim_allocator *a, void **ptr, size_t *cap,
                 size_t need, size_t elem) {
  size_t ncap;
  void *np;

  if (need <= *cap)
    return 0;
  if (elem == 0 || need > SIZE_MAX / elem)
    return CORSIM_ERR_TOO_LARGE;
  ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) {
      ncap = need;
      break;
    }
    ncap *= 2;
  }
  if (ncap > SIZE_MAX / elem)
    ncap = need;
  np = corsim__realloc(a, *ptr, ncap * elem);
  if (!np)
    return CORSIM_ERR_NOMEM;
  *ptr = np;
  *cap = ncap;
  return 0;
}
