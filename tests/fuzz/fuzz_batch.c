/*
 * fuzz_batch.c -- `corsim batch` line handling: each input line is a JSON
 * object as tests/interop/cases.jsonl and corsim(1) describe, handled by
 * the command's own batch_line() (tools/corsim.c is compiled into this
 * target, its main() renamed) and written out as JSON.
 *
 * Input: JSON lines.  Checked: every line gives an output object (a result
 * or {"id", "error"}), which serializes.
 */
#define _POSIX_C_SOURCE 200809L /* as tools/corsim.c */
#include "fuzz.h"

/* The tool, with its main() out of the way. */
int corsim_tool_main(int argc, char **argv);
#define main corsim_tool_main
#include "../../tools/corsim.c"
#undef main

static corsim_result *res; /* kept for the whole run */
static corsim_head *head;

void fuzz_target_cleanup(void) {
  corsim_result_free(res);
  corsim_head_free(head);
  corsim_db_free(db); /* the tool's database, loaded once */
  res = NULL;
  head = NULL;
  db = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  options o;
  const char *d = (const char *)data, *end = d + size, *p = d;

  if (!res && (corsim_result_new(&res, NULL) || corsim_head_new(&head, NULL)))
    abort();
  memset(&o, 0, sizeof o);
  o.profile = "spec";
  o.format = "json";
  o.color = "never";
  o.versions = "latest";
  o.method = "GET";
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = (size_t)((nl ? nl : end) - p);
    json_t *out;
    char *text;
    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
      len--;
    if (len) {
      out = batch_line(&o, p, len, head, res);
      FUZZ_ASSERT(out != NULL);
      FUZZ_ASSERT(json_is_object(out));
      text = json_dumps(out, JSON_COMPACT | JSON_ENSURE_ASCII);
      FUZZ_ASSERT(text != NULL);
      free(text);
      json_decref(out);
    }
    p = nl ? nl + 1 : end;
  }
  return 0;
}
