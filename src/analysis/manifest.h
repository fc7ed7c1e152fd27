/* manifest: what the analysis commands read from a run's manifest.json: the scenario's name, for titles. */
#ifndef VNICSIM_MANIFEST_H
#define VNICSIM_MANIFEST_H

#include <stddef.h>

/** @brief The scenario name recorded in @p dir/manifest.json (its "scenario" object's "scenario"."name"), copied
 *  into @p buf (truncated to @p len - 1 bytes). Returns 0, or -1 when the file is missing, is not the JSON `vnicsim
 *  run` writes, or has no such name; @p buf is then the empty string. Nothing is printed. */
int manifest_scenario_name(const char* dir, char* buf, size_t len);

/** @brief The string at the path of object keys @p keys (@p nkeys of them) in the JSON text @p json, copied into
 *  @p buf as UTF-8 (escapes decoded, truncated to @p len - 1 bytes). Returns 0, or -1 when @p json is not valid
 *  JSON up to that value, the path does not exist, or the value is not a string. */
int manifest_json_string(const char* json, const char* const* keys, size_t nkeys, char* buf, size_t len);

#endif
