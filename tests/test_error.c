/* test_error: the bad-input error record prints file, line, element, attribute and value. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/error.h"

Test(error, formats_every_field)
{
  vn_error_t e;
  vn_error_clear(&e);
  cr_assert_not(vn_error_is_set(&e));
  vn_error_set(&e, "s.xml", 12, "nic", "queue-depth", "0", "must be at least %d", 1);
  cr_assert(vn_error_is_set(&e));
  char buf[512];
  vn_error_format(&e, buf, sizeof buf);
  cr_assert_str_eq(buf, "s.xml:12: <nic queue-depth=\"0\">: must be at least 1");
}

Test(error, omits_missing_parts)
{
  vn_error_t e;
  vn_error_set(&e, NULL, 0, NULL, NULL, "bogus", "unknown command");
  char buf[512];
  vn_error_format(&e, buf, sizeof buf);
  cr_assert_str_eq(buf, "\"bogus\": unknown command");
}
