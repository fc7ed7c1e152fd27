/* netcomm: asynchronous host-to-host transfers with an end callback, and kernel timers (see netcomm.h). C++ (like
 * sgtrace.cpp): it reaches the SimGrid 3.32 features its C binding lacks, Comm::sendto_async(), the network model's
 * signal of a communication's end, and the kernel's timers. */
#include "model/netcomm.h"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/kernel/resource/Action.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <unordered_map>

/* What a transfer carries back to its owner when it ends. The CommPtr keeps the activity alive until released. */
struct netcomm {
  simgrid::s4u::CommPtr comm;
  netcomm_done_f done;
  void* owner;
  void* token;
};

/* Our transfers in flight, by their kernel activity. */
static std::unordered_map<const simgrid::kernel::activity::ActivityImpl*, netcomm*> in_flight;

/* The network model's signal for every communication state change, connected once. It reports the end of a transfer
 * in the kernel, at its end time, whether or not an actor waits for it (s4u's own completion signal only fires for a
 * communication someone waits on). SimGrid 3.32 declares NetworkAction, whose only base is Action, without defining
 * it in its public headers: the action is read through its Action base. */
static void on_state_change(simgrid::kernel::resource::NetworkAction& action, simgrid::kernel::resource::Action::State)
{
  auto& a = reinterpret_cast<simgrid::kernel::resource::Action&>(action);
  if (a.get_state() != simgrid::kernel::resource::Action::State::FINISHED)
    return;
  auto it = in_flight.find(a.get_activity());
  if (it == in_flight.end())
    return;
  netcomm* c = it->second;
  in_flight.erase(it);
  c->done(c->owner, c->token, c);
}

netcomm_t* netcomm_start(sg_host_t from, sg_host_t to, double bytes, netcomm_done_f done, void* owner, void* token)
{
  static bool connected = false;
  if (not connected) {
    simgrid::s4u::Link::on_communication_state_change_cb(on_state_change);
    connected = true;
  }
  auto* c = new netcomm{nullptr, done, owner, token};
  c->comm = simgrid::s4u::Comm::sendto_async(from, to, static_cast<uint64_t>(bytes));
  in_flight.emplace(c->comm->get_impl(), c);
  return c;
}

void netcomm_release(netcomm_t* c)
{
  if (c == nullptr)
    return;
  in_flight.erase(c->comm->get_impl());
  delete c;
}

void netcomm_at(double date, void (*fn)(void* data), void* data)
{
  simgrid::kernel::timer::Timer::set(date, [fn, data]() { fn(data); });
}
