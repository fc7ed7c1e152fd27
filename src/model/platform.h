/* platform: which hosts of a loaded SimGrid platform carry a NIC, in natural name order, and whether they can. */
#ifndef VNICSIM_PLATFORM_H
#define VNICSIM_PLATFORM_H

#include <simgrid/forward.h>
#include <stddef.h>

#include "base/error.h"
#include "model/params.h"

/** @brief The physical hosts of the loaded platform selected by p->hosts ("all", a count N: the first N, or a
 *  comma-separated list of names), in natural name order ("node-2" before "node-10") for a list given as a count or
 *  "all", in the given order for a list. Checks that the selection is non-empty and valid, that the pattern has
 *  enough hosts, that p->hot_host is among them, and that every host has a core for each consumer placed on it.
 *  Returns a malloc'ed array of *n hosts, or NULL with @p err (element/attribute/value filled in, file empty: the
 *  caller knows the scenario). */
sg_host_t* platform_select(const params_t* p, size_t* n, vn_error_t* err);

/** @brief Index of the hotspot target among @p hosts: p->hot_host, or 0 when it is empty; -1 if absent. */
int platform_hot_index(const params_t* p, sg_host_t const* hosts, size_t n);

#endif
