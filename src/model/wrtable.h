/* wrtable: the run's table of work-request records, with addresses that stay valid as it grows. */
#ifndef VNICSIM_WRTABLE_H
#define VNICSIM_WRTABLE_H

#include <stddef.h>

#include "model/wr.h"

typedef struct s_wrtable s_wrtable_t;
typedef s_wrtable_t* wrtable_t;
typedef const s_wrtable_t* const_wrtable_t;

/** @brief An empty table. */
wrtable_t wrtable_create(void);

/** @brief Free the table and every record; NULL is a no-op. */
void wrtable_free(wrtable_t t);

/** @brief A new record with the next id (0, 1, ...), every time NAN and every counter 0: a released slot if there
 *  is one, else a new one. The address never moves. */
wr_t* wrtable_add(wrtable_t t);

/** @brief Give @p wr's slot back for a later record (the statistics have taken what they need of it). */
void wrtable_release(wrtable_t t, wr_t* wr);

/** @brief Number of slots (records in use and released). Without releases, slot i holds the WR of id i. */
size_t wrtable_count(const_wrtable_t t);

/** @brief Slot @p i (0 <= i < wrtable_count). */
wr_t* wrtable_at(const_wrtable_t t, size_t i);

#endif
