// Blocking and awaiting the stop signals of long-running commands; the
// watching thread decides by phase what a signal does.
#include "apps/troupe/stop_signals.hpp"

#include <pthread.h>
#include <string.h>

#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>

#include "apps/troupe/exit_codes.hpp"

namespace troupe::cli {

sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return set;
}

int wait_for_stop_signal(const sigset_t& signals) {
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

/// Shared with the watching thread, which is detached: it may outlive the
/// command object while the process exits.
struct stop_signals::watch {
  enum class phase { starting, running, stopping };
  std::string what;
  sigset_t signals;
  std::mutex mtx;
  std::condition_variable cv;
  phase now = phase::starting;
  int received = 0;
  bool woken = false;

  /// Whether a wait is over; takes a wake-up, which ends one wait only.
  bool over() {
    if (received != 0)
      return true;
    if (!woken)
      return false;
    woken = false;
    return true;
  }

  void take(int signal_number) {
    std::unique_lock<std::mutex> guard{mtx};
    switch (now) {
    case phase::starting:
      std::cerr << "troupe " << what << ": " << strsignal(signal_number)
                << " received while starting; exiting" << std::endl;
      std::_Exit(exit_ok);
    case phase::running:
      now = phase::stopping;
      received = signal_number;
      cv.notify_all();
      return;
    case phase::stopping:
      std::cerr << "troupe " << what << ": " << strsignal(signal_number)
                << " received again while stopping; exiting at once"
                << std::endl;
      std::_Exit(128 + signal_number);
    }
  }
};

stop_signals::stop_signals(std::string what)
    : watch_(std::make_shared<watch>()) {
  watch_->what = std::move(what);
  watch_->signals = block_stop_signals();
  std::thread{[w = watch_] {
    for (;;)
      w->take(wait_for_stop_signal(w->signals));
  }}.detach();
}

void stop_signals::started() {
  std::lock_guard<std::mutex> guard{watch_->mtx};
  if (watch_->now == watch::phase::starting)
    watch_->now = watch::phase::running;
}

int stop_signals::wait() {
  std::unique_lock<std::mutex> guard{watch_->mtx};
  if (watch_->now == watch::phase::starting)
    watch_->now = watch::phase::running;
  watch_->cv.wait(guard, [this] { return watch_->over(); });
  return watch_->received;
}

int stop_signals::wait_for(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> guard{watch_->mtx};
  if (watch_->now == watch::phase::starting)
    watch_->now = watch::phase::running;
  watch_->cv.wait_for(guard, delay, [this] { return watch_->over(); });
  return watch_->received;
}

void stop_signals::wake() {
  {
    std::lock_guard<std::mutex> guard{watch_->mtx};
    watch_->woken = true;
  }
  watch_->cv.notify_all();
}

} // namespace troupe::cli
