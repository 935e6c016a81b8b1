/*
 * check_xml_hardening.c -- the profile loader against hostile XML: no
 * network, no external entity or DTD is ever loaded (an XXE that names a
 * local file must not read it), no entity expansion, and huge or deeply
 * nested documents are refused with a clear diagnostic, quickly and in
 * bounded memory.
 *
 * "Nothing is loaded" is checked at the source: libxml2 sends every
 * external load (DTD, entity, XInclude, schema import) through its
 * external entity loader; the test installs one that records the request
 * and refuses it, and also registers an input callback that records any
 * file or URL libxml2 tries to open by other means.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlIO.h>

#include "testutil.h"

static int loads;        /* external loads attempted */
static char last_load[512];

static xmlParserInputPtr recording_loader(const char *url, const char *id,
                                          xmlParserCtxtPtr ctxt) {
  (void)ctxt;
  loads++;
  snprintf(last_load, sizeof last_load, "%s", url ? url : id ? id : "?");
  return NULL;
}

static int opens;
static int match_any(const char *filename) {
  opens++;
  snprintf(last_load, sizeof last_load, "%s", filename ? filename : "?");
  return 0; /* not ours: the default handlers would go on */
}
static void *open_none(const char *filename) {
  (void)filename;
  return NULL;
}
static int read_none(void *ctx, char *buf, int len) {
  (void)ctx;
  (void)buf;
  (void)len;
  return -1;
}
static int close_none(void *ctx) {
  (void)ctx;
  return 0;
}

static xmlExternalEntityLoader saved_loader;
static char secret_path[256];
static const char secret[] = "corsim-secret-7f3c1a9e";

static void setup(void) {
  FILE *f;
  xmlInitParser();
  saved_loader = xmlGetExternalEntityLoader();
  xmlSetExternalEntityLoader(recording_loader);
  ck_assert_int_ge(xmlRegisterInputCallbacks(match_any, open_none, read_none,
                                             close_none),
                   0);
  loads = opens = 0;
  snprintf(secret_path, sizeof secret_path, "%s/corsim-xxe-%ld.txt",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
  f = fopen(secret_path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(secret, f);
  fclose(f);
}

static void teardown(void) {
  xmlSetExternalEntityLoader(saved_loader);
  xmlPopInputCallbacks();
  unlink(secret_path);
}

/* Loads doc; returns the code and checks the invariants: no database on
 * failure, nothing loaded, the secret nowhere in the diagnostics. */
static int load(const char *doc, size_t len, corsim_diagnostics *d) {
  corsim_db *db = NULL;
  size_t i;
  int rc = corsim_db_load_memory(&db, doc, len, "hostile.xml", NULL, d);
  ck_assert_msg(loads == 0 && opens == 0,
                "libxml2 tried to load '%s' (%d loader calls, %d opens)",
                last_load, loads, opens);
  for (i = 0; i < corsim_diagnostics_count(d); i++)
    ck_assert_msg(!strstr(corsim_diagnostics_get(d, i)->message, secret),
                  "the secret file was read: %s",
                  corsim_diagnostics_get(d, i)->message);
  if (rc)
    ck_assert_ptr_null(db);
  corsim_db_free(db);
  return rc;
}

static const char *first_message(const corsim_diagnostics *d) {
  const corsim_diagnostic *e = corsim_diagnostics_get(d, 0);
  return e ? e->message : "";
}

/* ------------------------------------------------------------------------
 * External entities, DTDs, XInclude
 * ------------------------------------------------------------------------ */

START_TEST(test_xxe_local_file) {
  static const char *const templates[] = {
      /* general entity in content */
      "<?xml version=\"1.0\"?>\n<!DOCTYPE profiles [<!ENTITY x SYSTEM "
      "\"file://@\">]>\n<profiles format=\"1\">&x;</profiles>\n",
      /* in an attribute value */
      "<?xml version=\"1.0\"?>\n<!DOCTYPE profiles [<!ENTITY x SYSTEM "
      "\"@\">]>\n<profiles format=\"&x;\"/>\n",
      /* parameter entity */
      "<?xml version=\"1.0\"?>\n<!DOCTYPE profiles [<!ENTITY % p SYSTEM "
      "\"@\"> %p;]>\n<profiles/>\n",
      /* external DTD subset */
      "<?xml version=\"1.0\"?>\n<!DOCTYPE profiles SYSTEM \"@\">\n"
      "<profiles/>\n",
      /* XInclude (never processed) */
      "<?xml version=\"1.0\"?>\n<profiles format=\"1\" "
      "xmlns=\"urn:corsim:profiles\" "
      "xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"@\" "
      "parse=\"text\"/></profiles>\n",
      /* a stylesheet processing instruction and a schema location */
      "<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"@\"?>\n"
      "<profiles format=\"1\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"urn:x @\"/>\n",
  };
  char doc[2048];
  corsim_diagnostics *d = NULL;
  int n = 0, rc;
  const char *t;
  for (t = templates[_i]; *t; t++) /* each @ becomes the secret file */
    n += snprintf(doc + n, sizeof doc - (size_t)n, "%.*s",
                  *t == '@' ? (int)strlen(secret_path) : 1,
                  *t == '@' ? secret_path : t);
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  rc = load(doc, (size_t)n, d);
  ck_assert_int_eq(rc, CORSIM_ERR_BAD_PROFILES);
  ck_assert_uint_gt(corsim_diagnostics_count(d), 0);
  if (_i < 4)
    ck_assert_msg(strstr(first_message(d), "DOCTYPE"), "%s", first_message(d));
  corsim_diagnostics_free(d);
}
END_TEST

START_TEST(test_no_network) {
  /* a DTD and an entity on the network, and an XInclude of a URL */
  static const char *const docs[] = {
      "<!DOCTYPE profiles PUBLIC \"-//x//y\" "
      "\"http://127.0.0.1:9/p.dtd\"><profiles/>",
      "<!DOCTYPE p [<!ENTITY e SYSTEM \"http://127.0.0.1:9/e\">]><p>&e;</p>",
      "<profiles xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
      "<xi:include href=\"http://127.0.0.1:9/x.xml\"/></profiles>",
  };
  corsim_diagnostics *d = NULL;
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(docs[_i], strlen(docs[_i]), d),
                   CORSIM_ERR_BAD_PROFILES);
  corsim_diagnostics_free(d);
}
END_TEST

/* ------------------------------------------------------------------------
 * Entity expansion
 * ------------------------------------------------------------------------ */

START_TEST(test_entity_expansion_bounded) {
  /* billion laughs and quadratic blowup: refused at the DOCTYPE, in a
   * moment, whatever the size of the expansion */
  char *doc = malloc(300000), *p = doc;
  size_t i;
  corsim_diagnostics *d = NULL;
  struct timespec t0, t1;
  p += sprintf(p, "<?xml version=\"1.0\"?>\n<!DOCTYPE p [<!ENTITY a \"");
  for (i = 0; i < 100000; i++)
    *p++ = 'a';
  p += sprintf(p, "\">]>\n<p>");
  for (i = 0; i < 20000; i++)
    p += sprintf(p, "&a;");
  p += sprintf(p, "</p>\n");
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ck_assert_int_eq(load(doc, (size_t)(p - doc), d), CORSIM_ERR_BAD_PROFILES);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  ck_assert_msg(strstr(first_message(d), "DOCTYPE"), "%s", first_message(d));
  ck_assert_uint_eq(corsim_diagnostics_count(d), 1);
  /* (2 GB of expansion would take far longer than this) */
  ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 20);
  corsim_diagnostics_free(d);
  free(doc);
}
END_TEST

START_TEST(test_predefined_entities_only) {
  /* character references and the five predefined entities are plain XML;
   * an undeclared entity is an error, not a lookup */
  static const char doc[] =
      "<profiles format=\"&#49;\" x=\"&amp;&lt;&gt;&quot;&apos;\">&undefined;"
      "</profiles>";
  corsim_diagnostics *d = NULL;
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(L(doc), d), CORSIM_ERR_BAD_PROFILES);
  ck_assert_msg(strstr(first_message(d), "undefined") ||
                    strstr(first_message(d), "Entity"),
                "%s", first_message(d));
  corsim_diagnostics_free(d);
}
END_TEST

/* ------------------------------------------------------------------------
 * Size, depth and node count
 * ------------------------------------------------------------------------ */

START_TEST(test_deep_nesting_refused) {
  /* 65 levels is over the limit of 64; 1,000,000 levels must neither
   * overflow a stack nor take long */
  static const size_t depths[] = {65, 1000, 1000000};
  size_t depth = depths[_i], i;
  char *doc = malloc(depth * 7 + 64), *p = doc;
  corsim_diagnostics *d = NULL;
  p += sprintf(p, "<profiles format=\"1\">");
  for (i = 1; i < depth; i++)
    p += sprintf(p, "<a>");
  for (i = 1; i < depth; i++)
    p += sprintf(p, "</a>");
  p += sprintf(p, "</profiles>");
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(doc, (size_t)(p - doc), d), CORSIM_ERR_BAD_PROFILES);
  ck_assert_msg(strstr(first_message(d), "nested more than 64 deep"), "%s",
                first_message(d));
  ck_assert_uint_eq(corsim_diagnostics_get(d, 0)->line, 1);
  ck_assert_uint_eq(corsim_diagnostics_count(d), 1);
  corsim_diagnostics_free(d);
  free(doc);
}
END_TEST

START_TEST(test_depth_64_is_parsed) {
  /* exactly at the limit: parsed (then refused by the schema) */
  char doc[1024], *p = doc;
  int i;
  corsim_diagnostics *d = NULL;
  p += sprintf(p, "<profiles format=\"1\">");
  for (i = 1; i < 64; i++)
    p += sprintf(p, "<a>");
  for (i = 1; i < 64; i++)
    p += sprintf(p, "</a>");
  p += sprintf(p, "</profiles>");
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(doc, (size_t)(p - doc), d), CORSIM_ERR_BAD_PROFILES);
  ck_assert_msg(!strstr(first_message(d), "nested"), "%s", first_message(d));
  corsim_diagnostics_free(d);
}
END_TEST

START_TEST(test_too_many_nodes_refused) {
  /* 16 MiB of empty elements, attributes or comments would make a tree of
   * hundreds of megabytes: refused after 250,000 nodes */
  static const char *const unit[] = {"<a/>", "<a b='' c='' d='' e=''/>",
                                     "<!---->", "<?p?>"};
  size_t ulen = strlen(unit[_i]), n = (size_t)15 * 1024 * 1024 / ulen, i;
  char *doc = malloc(n * ulen + 64), *p = doc;
  corsim_diagnostics *d = NULL;
  p += sprintf(p, "<profiles format=\"1\">");
  for (i = 0; i < n; i++) {
    memcpy(p, unit[_i], ulen);
    p += ulen;
  }
  p += sprintf(p, "</profiles>");
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(doc, (size_t)(p - doc), d), CORSIM_ERR_BAD_PROFILES);
  ck_assert_msg(strstr(first_message(d), "more than 250000"), "%s",
                first_message(d));
  corsim_diagnostics_free(d);
  free(doc);
}
END_TEST

START_TEST(test_huge_document_refused) {
  /* over 16 MiB: refused before parsing */
  size_t len = (size_t)16 * 1024 * 1024 + 1;
  char *doc = malloc(len);
  corsim_diagnostics *d = NULL;
  memset(doc, 'x', len);
  memcpy(doc, "<profiles>", 10);
  ck_assert_ok(corsim_diagnostics_new(&d, NULL));
  ck_assert_int_eq(load(doc, len, d), CORSIM_ERR_TOO_LARGE);
  ck_assert_msg(strstr(first_message(d), "16 MiB"), "%s", first_message(d));
  corsim_diagnostics_free(d);
  free(doc);
}
END_TEST

START_TEST(test_huge_text_and_names) {
  /* a 10 MiB attribute value, a 1 MiB element name, and a 15 MiB text
   * node: no crash, a clear error */
  size_t big = (size_t)10 * 1024 * 1024, i;
  char *doc = malloc(big + 4096), *p;
  corsim_diagnostics *d = NULL;
  int k;
  for (k = 0; k < 3; k++) {
    p = doc;
    if (k == 0) {
      p += sprintf(p, "<profiles format=\"");
      for (i = 0; i < big; i++)
        *p++ = '1';
      p += sprintf(p, "\"/>");
    } else if (k == 1) {
      *p++ = '<';
      for (i = 0; i < big / 10; i++)
        *p++ = 'n';
      p += sprintf(p, "/>");
    } else {
      p += sprintf(p, "<profiles>");
      for (i = 0; i < big; i++)
        *p++ = 't';
      p += sprintf(p, "</profiles>");
    }
    ck_assert_ok(corsim_diagnostics_new(&d, NULL));
    ck_assert_int_eq(load(doc, (size_t)(p - doc), d), CORSIM_ERR_BAD_PROFILES);
    ck_assert_uint_gt(corsim_diagnostics_count(d), 0);
    corsim_diagnostics_free(d);
  }
  free(doc);
}
END_TEST

START_TEST(test_real_file_still_loads) {
  /* the limits leave room: the compiled-in database loads, with nothing
   * loaded from outside */
  corsim_db *db = NULL;
  corsim_str xml = corsim_builtin_profiles_xml();
  ck_assert_ok(corsim_db_load_memory(&db, xml.ptr, xml.len, "p.xml", NULL,
                                     NULL));
  ck_assert_int_eq(loads + opens, 0);
  ck_assert_uint_gt(corsim_db_browser_count(db), 10);
  corsim_db_free(db);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("xml-hardening");
  TCase *tc = tcase_create("hostile");
  tcase_set_timeout(tc, 300);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, test_xxe_local_file, 0, 6);
  tcase_add_loop_test(tc, test_no_network, 0, 3);
  tcase_add_test(tc, test_entity_expansion_bounded);
  tcase_add_test(tc, test_predefined_entities_only);
  tcase_add_loop_test(tc, test_deep_nesting_refused, 0, 3);
  tcase_add_test(tc, test_depth_64_is_parsed);
  tcase_add_loop_test(tc, test_too_many_nodes_refused, 0, 4);
  tcase_add_test(tc, test_huge_document_refused);
  tcase_add_test(tc, test_huge_text_and_names);
  tcase_add_test(tc, test_real_file_still_loads);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(suite()); }
