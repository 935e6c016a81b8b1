/* error.c -- error codes and their messages (one list: CORSIM_ERROR_MAP). */
#include <config.h>

#include "internal.h"

CORSIM__API const char *corsim_strerror(int code) {
  switch (code) {
#define XX(name, value, msg)                                                  \
  case value:                                                                 \
    return msg;
    CORSIM_ERROR_MAP(XX)
#undef XX
  default:
    return "unknown error";
  }
}

CORSIM__API const char *corsim_error_name(int code) {
  switch (code) {
#define XX(name, value, msg)                                                  \
  case value:                                                                 \
    return "CORSIM_ERR_" #name;
    CORSIM_ERROR_MAP(XX)
#undef XX
  default:
    return "CORSIM_ERR_UNKNOWN";
  }
}
