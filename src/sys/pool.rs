//! A pool of worker threads that run borrowed closures and are waited for, as
//! `std::thread::scope` does, without starting a thread per call: secondary threads (`-s N`)
//! stay alive between `peach` calls, so a call pays a wake-up, not a thread start.
//!
//! `run_all` hands each job to the pool and returns only when every job has finished; that
//! wait is what lets a job borrow from the caller's stack. Workers are started on demand up to
//! the number a call asks for, and are never stopped (they sleep on a condition variable).

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::OnceLock;

use parking_lot::{Condvar, Mutex};

/// A job with its lifetime erased: it is run before `run_all` returns (see there).
type Job = Box<dyn FnOnce() + Send + 'static>;

/// Jobs not yet taken, and how many workers exist.
struct Queue {
    jobs: VecDeque<(Job, Arc<Batch>)>,
    workers: usize,
}

/// One `run_all` call: jobs still to finish, and its waiter's condition.
struct Batch {
    left: Mutex<usize>,
    done: Condvar,
}

struct Pool {
    queue: Mutex<Queue>,
    ready: Condvar,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool {
        queue: Mutex::new(Queue {
            jobs: VecDeque::new(),
            workers: 0,
        }),
        ready: Condvar::new(),
    })
}

/// Native stack of each worker (deep recursion in a job reaches the interpreter's `'stack`).
const STACK: usize = 64 << 20;

/// Runs every job on the pool's threads (starting up to `threads` of them) and returns when all
/// have finished. A job that panics is finished too (its panic is caught on the worker; jobs
/// report their own failures through what they borrow). Jobs the system gives no thread for
/// run on the calling thread.
pub fn run_all<'a>(jobs: Vec<Box<dyn FnOnce() + Send + 'a>>, threads: usize) {
    let p = pool();
    let batch = Arc::new(Batch {
        left: Mutex::new(jobs.len()),
        done: Condvar::new(),
    });
    let mut inline = Vec::new();
    {
        let mut q = p.queue.lock();
        while q.workers < threads.min(jobs.len()) {
            if start_worker().is_err() {
                break;
            }
            q.workers += 1;
        }
        let have_workers = q.workers > 0;
        for job in jobs {
            // SAFETY: the job may borrow data living for 'a. This function does not return
            // before the batch's count reaches zero, and a job's count is taken off only after
            // the job has run (or been dropped), on a worker or below; so every job is gone
            // before anything it borrows can be.
            let job: Job = unsafe {
                std::mem::transmute::<Box<dyn FnOnce() + Send + 'a>, Box<dyn FnOnce() + Send>>(job)
            };
            if have_workers {
                q.jobs.push_back((job, batch.clone()));
            } else {
                inline.push(job);
            }
        }
    }
    p.ready.notify_all();
    for job in inline {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
        finish(&batch);
    }
    let mut left = batch.left.lock();
    while *left > 0 {
        batch.done.wait(&mut left);
    }
}

fn finish(b: &Batch) {
    let mut left = b.left.lock();
    *left -= 1;
    if *left == 0 {
        b.done.notify_all();
    }
}

fn start_worker() -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("q-secondary".into())
        .stack_size(STACK)
        .spawn(worker)
        .map(|_| ())
}

fn worker() {
    let p = pool();
    loop {
        let (job, batch) = {
            let mut q = p.queue.lock();
            loop {
                if let Some(j) = q.jobs.pop_front() {
                    break j;
                }
                p.ready.wait(&mut q);
            }
        };
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
        finish(&batch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_borrow_and_all_finish() {
        let mut out = vec![0u64; 16];
        let jobs: Vec<Box<dyn FnOnce() + Send + '_>> = out
            .iter_mut()
            .enumerate()
            .map(|(i, o)| Box::new(move || *o = (i as u64) * 2) as Box<dyn FnOnce() + Send>)
            .collect();
        run_all(jobs, 3);
        assert_eq!(out, (0..16).map(|i| i * 2).collect::<Vec<u64>>());
        // A panicking job finishes its batch too.
        run_all(vec![Box::new(|| panic!("job")), Box::new(|| {})], 2);
    }
}
