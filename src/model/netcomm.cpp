/* netcomm: asynchronous host-to-host transfers with an end callback, and kernel timers (see netcomm.h). C++ (like
 * sgtrace.cpp): it reaches the SimGrid 3.32 features its C binding lacks, Comm::sendto_async(), the network model's
 * signal of a communication's end, and the kernel's timers. */
#include "model/netcomm.h"

#include <boost/heap/fibonacci_heap.hpp>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/kernel/resource/Action.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <unordered_map>
#include <utility>
#include <vector>
#include <xbt/utility.hpp>

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

/* Transfers released since the clock last advanced. The network model signals a transfer's end while it brings the
 * models to the end's instant; SimGrid then runs the kernel timers due at that instant, and only then hands the ended
 * actions to their activities (EngineImpl::run: Timer::execute_all(), then handle_ended_actions()). A transfer
 * released by a timer of that instant (the transport releases the ended ones at its next turn) would have its activity
 * freed under its action, which SimGrid reads next. So the last reference is kept until the clock advances again,
 * when every action of the instant has been handled, or until the simulation ends. */
static std::vector<simgrid::s4u::CommPtr> retired;

void netcomm_release(netcomm_t* c)
{
  if (c == nullptr)
    return;
  static bool connected = false;
  if (not connected) {
    simgrid::s4u::Engine::on_time_advance_cb([](double /*delta*/) { retired.clear(); });
    simgrid::s4u::Engine::on_simulation_end_cb([]() { retired.clear(); });
    connected = true;
  }
  in_flight.erase(c->comm->get_impl());
  retired.push_back(std::move(c->comm));
  delete c;
}

/* The transport's timers, in a queue of their own that one kernel timer drives.
 *
 * The order in which SimGrid runs kernel timers of the same date is that of its timer heap (a Fibonacci heap ordered by
 * date alone: simgrid/kernel/Timer.hpp), which depends on every timer the heap has held. Two NICs whose services end
 * at the same instant start their transfers in that order, so any other kernel timer, such as those that show the
 * consumers' states in a Paje trace (sgtrace.h), would change which transfer starts first, and the results. This queue
 * is a heap of the same kind, with the same comparison, that holds the transport's timers only: it sees the very
 * operations SimGrid's heap saw when it held them alone, and gives the same order (the results of a run without a
 * trace are those of the transport's timers set directly), whatever else is set. The driver is a kernel timer at the
 * queue's first date; it runs every timer due, as SimGrid runs the due ones (those set meanwhile for an instant
 * already reached included), then sets itself at the next date. */
namespace {
struct Due {
  void (*fn)(void* data);
  void* data;
};
using DueElt = std::pair<double, Due>;
boost::heap::fibonacci_heap<DueElt, boost::heap::compare<simgrid::xbt::HeapComparator<DueElt>>> due;
simgrid::kernel::timer::Timer* driver = nullptr;
double driver_date                    = 0;
bool running                          = false;

void run_due();

/* The driver at the queue's first date (it is never later: an earlier timer moves it). */
void arm()
{
  if (running || due.empty())
    return;
  double first = due.top().first;
  if (driver != nullptr) {
    if (driver_date <= first)
      return;
    driver->remove();
  }
  driver      = simgrid::kernel::timer::Timer::set(first, []() { run_due(); });
  driver_date = first;
}

void run_due()
{
  driver  = nullptr;
  running = true;
  while (not due.empty() && simgrid::s4u::Engine::get_clock() >= due.top().first) {
    Due d = due.top().second;
    due.pop();
    d.fn(d.data);
  }
  running = false;
  arm();
}
} // namespace

void netcomm_at(double date, void (*fn)(void* data), void* data)
{
  due.emplace(date, Due{fn, data});
  arm();
}
