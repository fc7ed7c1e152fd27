/* netcomm: asynchronous host-to-host transfers with an end callback, and kernel timers (see netcomm.h). C++ (like
 * sgtrace.cpp): it reaches the SimGrid 3.32 features its C binding lacks, Comm::sendto_async(), the network model's
 * signal of a communication's end, and the kernel's timers. */
#include "model/netcomm.h"

#include <queue>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/kernel/resource/Action.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

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

/* The model's timers (the transport's, and the consumers' wake-ups), in a queue of their own that one kernel timer
 * drives.
 *
 * Timers of the same date run in the order they were set (the queue is ordered by date, then by a sequence number).
 * SimGrid's own timer heap orders them by date alone, and its order among equal dates depends on every timer the heap
 * has held: any other kernel timer, such as those that show the consumers' states in a Paje trace (sgtrace.h), would
 * change which consumer wakes first or which transfer starts first, and the results. This queue holds the model's
 * timers only, so a run's results do not depend on whether it is traced. The driver is a kernel timer at the queue's
 * first date; it runs every timer due, as SimGrid runs the due ones (those set meanwhile for an instant already
 * reached included), then sets itself at the next date. */
namespace {
struct Due {
  double date;
  unsigned long long seq;
  void (*fn)(void* data);
  void* data;
};
struct Later {
  bool operator()(const Due& a, const Due& b) const
  {
    return a.date > b.date || (a.date == b.date && a.seq > b.seq);
  }
};
std::priority_queue<Due, std::vector<Due>, Later> due;
std::unordered_set<unsigned long long> cancelled; /* timers withdrawn while still in the queue */
unsigned long long next_seq           = 1;
simgrid::kernel::timer::Timer* driver = nullptr;
double driver_date                    = 0;
bool running                          = false;

void run_due();

/* The driver at the first date of a timer not withdrawn, or none. It is never set at another date: a kernel timer
 * left at a date where nothing is due would still bring the clock there, and SimGrid runs its timers even after the
 * last actor has ended, so the run's end time would move. */
void arm()
{
  if (running)
    return;
  while (not due.empty() && not cancelled.empty() && cancelled.erase(due.top().seq) > 0)
    due.pop();
  if (due.empty()) {
    if (driver != nullptr)
      driver->remove();
    driver = nullptr;
    return;
  }
  double first = due.top().date;
  if (driver != nullptr) {
    if (driver_date == first)
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
  while (not due.empty() && simgrid::s4u::Engine::get_clock() >= due.top().date) {
    Due d = due.top();
    due.pop();
    if (cancelled.empty() || cancelled.erase(d.seq) == 0)
      d.fn(d.data);
  }
  running = false;
  arm();
}
} // namespace

netcomm_timer_t netcomm_at(double date, void (*fn)(void* data), void* data)
{
  unsigned long long id = next_seq++;
  due.push(Due{date, id, fn, data});
  arm();
  return id;
}

/* Withdrawn timers stay in the queue until they reach its top. When they are most of it, the queue is rebuilt without
 * them, so that its memory follows the timers still due, not every wait ever cut short (the order of the others is
 * the same: the queue's order is total). */
static void compact()
{
  std::vector<Due> kept;
  kept.reserve(due.size() - cancelled.size());
  while (not due.empty()) {
    if (cancelled.erase(due.top().seq) == 0)
      kept.push_back(due.top());
    due.pop();
  }
  cancelled.clear();
  due = std::priority_queue<Due, std::vector<Due>, Later>(Later(), std::move(kept));
}

void netcomm_cancel(netcomm_timer_t id)
{
  if (id == 0)
    return;
  cancelled.insert(id);
  if (cancelled.size() >= NETCOMM_COMPACT_MIN && 2 * cancelled.size() > due.size())
    compact();
  arm();
}

size_t netcomm_timers_held(void)
{
  return due.size();
}
