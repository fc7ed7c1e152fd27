/* sgtrace: SimGrid's tracing calls for vnicsim's Paje traces (see sgtrace.h). C++ for two reasons: SimGrid 3.32
 * deprecates the C functions that set a host variable at a given time (TRACE_host_variable_*_with_time) in favour of
 * simgrid::instr::set_host_variable() and friends, and the C binding offers neither the kernel's timers, nor zones
 * outside the platform, nor the hook below (s4u::Engine's on_platform_created signal). */
#include "model/sgtrace.h"

#include <simgrid/engine.h>
#include <simgrid/instr.h>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/kernel/routing/NetZoneImpl.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <xbt/asserts.h>

void sgtrace_declare_variable(const char* name, const char* color)
{
  simgrid::instr::declare_host_variable(name, color);
}

/* SimGrid 3.32 keeps the events of a trace in a buffer sorted by time and, at every advance of the clock, writes those
 * up to this date (src/instr/instr_private.hpp; exported by libsimgrid, not in its installed headers). Nothing but the
 * end of the simulation and the destruction of a container moves it, so a whole run's events stay in memory until the
 * end (some 1 KB each: a stringstream per event). */
namespace simgrid::instr {
extern double last_timestamp_to_dump;
}

void sgtrace_write_as_you_go(double lag_s)
{
  simgrid::s4u::Engine::on_time_advance_cb([lag_s](double /*delta*/) {
    double upto = simgrid_get_clock() - lag_s;
    if (upto > simgrid::instr::last_timestamp_to_dump)
      simgrid::instr::last_timestamp_to_dump = upto;
  });
}

void sgtrace_variable(const char* host, const char* name, double t, double value, int add)
{
  /* an event before what may have been written would come out of order */
  xbt_assert(t >= simgrid::instr::last_timestamp_to_dump, "trace event at %.12f, before %.12f, already written", t,
             simgrid::instr::last_timestamp_to_dump);
  if (add)
    simgrid::instr::add_host_variable(host, name, value, t);
  else
    simgrid::instr::set_host_variable(host, name, value, t);
}

void sgtrace_declare_state(const char* type)
{
  TRACE_host_state_declare(type);
}

void sgtrace_declare_state_value(const char* type, const char* value, const char* color)
{
  TRACE_host_state_declare_value(type, value, color);
}

void sgtrace_set_state(const char* host, const char* type, const char* value)
{
  TRACE_host_set_state(host, type, value);
}

void sgtrace_end_state(const char* host, const char* type)
{
  TRACE_host_pop_state(host, type);
}

/* SimGrid's tracing of the platform (tracing/platform) builds its containers while the file is read, and forgets
 * where it was once the file has been read (its own on_platform_created handler clears that): a host created later,
 * such as a VM created by the simulation's set-up, makes SimGrid 3.32 read an empty stack and crash. Handlers run in
 * the order they were connected, and this one is connected before the file is read, so before tracing connects its
 * own: a VM created from it gets its container like the platform's hosts. */
void sgtrace_on_platform_read(void (*fn)(void* data), void* data)
{
  simgrid::s4u::Engine::on_platform_created_cb([fn, data]() { fn(data); });
}

/* A kernel timer (simgrid/kernel/Timer.hpp): the kernel runs it when the clock reaches its date, right after the models
 * have been brought to that date and before the actors that became ready run. Setting one from an actor (this is not
 * a simcall) is safe because vnicsim runs its actors one at a time (SimGrid's default, contexts/nthreads:1). */
sgtrace_timer_t* sgtrace_timer_set(double date, void (*fn)(void* data), void* data)
{
  return reinterpret_cast<sgtrace_timer_t*>(simgrid::kernel::timer::Timer::set(date, [fn, data]() { fn(data); }));
}

void sgtrace_timer_cancel(sgtrace_timer_t* timer)
{
  reinterpret_cast<simgrid::kernel::timer::Timer*>(timer)->remove();
}

/* The zone has no parent: it is not part of the platform's routing (a parent would count it among its own elements,
 * which some routings size their tables by while the file is read), so it is given the platform's CPU model by hand
 * for its hosts to have a CPU, which nothing ever uses. Sealing it makes SimGrid's tracing close its container, as for
 * the zones of the file. */
void sgtrace_make_row_hosts(const char* zone, const char* const* names, size_t n)
{
  const auto* root = simgrid::s4u::Engine::get_instance()->get_netzone_root();
  auto* z          = simgrid::s4u::create_empty_zone(zone);
  z->get_impl()->set_cpu_pm_model(root->get_impl()->get_cpu_pm_model());
  for (size_t i = 0; i < n; i++)
    z->create_host(names[i], 1.0)->seal(); /* sealing a host announces it: tracing makes its container */
  z->seal();
}
