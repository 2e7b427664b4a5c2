//! The engine lock: one multiple-read single-write lock between the engine's owner thread
//! (the write side) and every other thread (a shared, read-only side and an exclusive side),
//! whose write side costs the owner no atomic read-modify-write and no fence. It knows no
//! engine: it is a lock; `owner` and the server's multithreaded input mode are its users, and
//! both use exactly this module.
//!
//! # API
//!
//! Owner identity (who may take the write side; `owner::lifecycle` decides who):
//! - `word()` (the owner word, one plain load), `owner()`, `replace_owner(from, to)`,
//!   `set_bits`/`clear_bits` (the hint bits below).
//!
//! Write side, owner thread only, nestable (a depth count that only the owner writes):
//! - `owner_enter()` (inline): true if the engine is the owner's now (presence up); false, with
//!   nothing changed, if this is not the owner or a hint is set. The owner's slow entry is
//!   `presence_up()` then `owner_take()` (cold: waits for non-owner holders to leave).
//! - `owner_leave()` (inline): presence down; false if a hint is set: then `owner_left()`
//!   (cold: wakes threads in `wait_owner_away`) once `presence()` is 0.
//!   `owner::gate` is this protocol with the owner's own hints; use it above sys.
//!
//! Read and exclusive sides, any thread but the owner:
//! - `acquire(Side::Shared | Side::Exclusive) -> Option<Held>`: None when the owner is inside
//!   (hand the work to the owner, or `wait_owner_away()` and try again). Dropping `Held`
//!   releases. Shared holders run at the same time; an exclusive holder runs alone.
//! - `try_acquire(side)`: the same without waiting for other non-owners either (None when one
//!   holds the side out): for a caller that has a serving owner to hand its work to.
//! - `held_here()`: the side this thread holds (a nested call must not acquire again).
//! - `read_only()`: whether this thread evaluates read-only (it holds the shared side, or runs
//!   inside `with_read_only`): q signals `'noupdate` on a global write.
//! - `with_read_only(f)`: runs `f` read-only (a reader's work run by the owner for it).
//! - `owner_inside()`: after an asymmetric barrier, whether the owner is inside (for a thread
//!   that handed work to the owner and must know someone will do it).
//!
//! Above `owner`, take the sides through `owner::owner_bound_as(Access::..., f)` (which also
//! hands a call to the owner when it is inside, and runs it inline on the owner):
//! `Access::ReadOnly` for a reader in every mode (the multithreaded input mode's connection
//! threads), `Access::Write` for full rights. Code in layers below `owner` (q, net) uses this
//! module directly: `acquire(Side::Shared)`, and on None `wait_owner_away()` and again.
//!
//! # Words
//!
//! | word | bits | meaning | written by |
//! |------|------|---------|------------|
//! | owner word | 3-63 | the owner's thread pointer (aligned: the low bits are free), 0 for none | `owner::lifecycle` |
//! | | 0 `ATTENTION` | trampolined calls wait: the owner must look at its doorbell | callers; the owner clears it |
//! | | 1 `HELD` | non-owner holders were admitted (or tried) since the owner last took the engine | non-owners, before their check; only the owner clears it (`owner_take`) |
//! | | 2 `WAITERS` | threads sleep in `wait_owner_away` | those threads; the owner clears it as it wakes them |
//! | presence | all | the owner's depth inside the engine (0: away) | the owner only, plain stores |
//! | group | 0 `ADMITTED` | non-owners may join without a check: the owner is shut out | the first non-owner after its check; the owner clears it (`owner_take`) |
//! | | 1 `OWNER_WAITING` | the owner waits for the holders to leave: nobody joins | the owner |
//! | | 2 `G_FORKING` | a fork is under way: nobody joins | `fork_prepare` |
//! | | 3-31 | how many non-owners hold the engine (or are checking) | non-owners |
//!
//! The owner word's bit 3 (`FORKING`) and `G_FORKING` close the engine while a fork is under
//! way (`fork_prepare`, see `sys::fork`): a child gets an engine nobody else was inside, or,
//! if another thread was still inside when the wait ran out, an engine that says so.
//!
//! # Why the owner needs no fence (asymmetric Dekker)
//!
//! The owner stores its presence, then loads the owner word. A non-owner that has no admitted
//! group to join counts itself in the group, sets `HELD`, runs `membarrier::barrier()` (a
//! full barrier on every running thread of the process), then loads the presence. Either the
//! owner's store came before its barrier point, and the non-owner sees the owner inside and
//! backs off; or the owner's load came after it, and the owner sees `HELD` and waits in
//! `owner_take` for the group to empty (`OWNER_WAITING` stops newcomers). Once a group is
//! admitted, `HELD` stays set until the owner takes the engine back, so later non-owners join
//! with one CAS and no barrier for as long as the owner stays away.
//!
//! Leaving is the mirror image: the owner stores its presence (Release) and loads the word;
//! a non-owner that sleeps until the owner leaves sets `WAITERS`, runs the barrier, then
//! loads the presence: either it sees the owner gone, or the owner sees `WAITERS` and wakes it.
//! `tests/owner_protocol_model.rs` explores every interleaving of these steps, with the
//! owner's stores buffered as x86 and ARM allow.

use std::cell::Cell;
use std::sync::atomic::{compiler_fence, fence, AtomicU32, AtomicUsize, Ordering::*};

use crossbeam_utils::CachePadded;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::{futex, membarrier};

/// Trampolined calls wait: the owner must look at its doorbell.
pub const ATTENTION: usize = 1;
/// Non-owner holders were admitted (or tried) since the owner last took the engine.
pub const HELD: usize = 2;
/// Threads sleep until the owner leaves.
pub const WAITERS: usize = 4;
/// A fork is under way (or, in a child whose engine was busy in another thread, happened):
/// nobody comes in.
pub const FORKING: usize = 8;
/// Every hint bit.
pub const BITS: usize = ATTENTION | HELD | WAITERS | FORKING;

const ADMITTED: u32 = 1;
const OWNER_WAITING: u32 = 2;
/// A fork is under way: nobody joins.
const G_FORKING: u32 = 4;
const ONE: u32 = 8;

/// The two words the owner touches on every call, on one cache line (one address for both).
#[repr(C, align(128))]
struct Owner {
    word: AtomicUsize,
    presence: AtomicUsize,
}

static OWNER: Owner = Owner {
    word: AtomicUsize::new(0),
    presence: AtomicUsize::new(0),
};
static GROUP: CachePadded<AtomicU32> = CachePadded::new(AtomicU32::new(0));
/// Bumped when the owner leaves with `WAITERS` set; `wait_owner_away` sleeps on it.
static EXIT_GEN: CachePadded<AtomicU32> = CachePadded::new(AtomicU32::new(0));
/// Orders the non-owners among themselves: shared holders together, an exclusive one alone.
static NON_OWNERS: NonOwners = NonOwners(std::cell::UnsafeCell::new(RwLock::new(())));

/// The non-owners' lock: std's futex lock (all its state is in its own words, unlike a lock
/// that parks threads in a process-wide table), which a forked child resets: its holders and
/// waiters are gone.
struct NonOwners(std::cell::UnsafeCell<RwLock<()>>);

// SAFETY: the RwLock is Sync; the cell is written only by `fork_child`, when the process has
// one thread, and what it writes is an unlocked lock at the same address.
unsafe impl Sync for NonOwners {}

impl NonOwners {
    fn get(&self) -> &'static RwLock<()> {
        // SAFETY: see the Sync impl: only `fork_child` writes it. The static lives for ever.
        unsafe { &*self.0.get() }
    }
}

/// A non-owner's hold on `NON_OWNERS`.
enum Guard {
    Shared(#[allow(dead_code)] RwLockReadGuard<'static, ()>),
    Exclusive(#[allow(dead_code)] RwLockWriteGuard<'static, ()>),
}

// ---- owner identity ------------------------------------------------------------------------

/// The owner word: a plain load (see the table).
#[inline(always)]
pub fn word() -> usize {
    OWNER.word.load(Relaxed)
}

/// The owner's thread pointer, or 0.
pub fn owner() -> usize {
    OWNER.word.load(SeqCst) & !BITS
}

/// Replaces the owner `from` with `to`, keeping the hint bits; false if the owner was not `from`.
pub fn replace_owner(from: usize, to: usize) -> bool {
    debug_assert_eq!(to & BITS, 0, "thread pointers are aligned");
    OWNER
        .word
        .fetch_update(SeqCst, Relaxed, |w| {
            (w & !BITS == from).then_some(to | (w & BITS))
        })
        .is_ok()
}

pub fn set_bits(bits: usize) {
    OWNER.word.fetch_or(bits, SeqCst);
}

pub fn clear_bits(bits: usize) {
    OWNER.word.fetch_and(!bits, SeqCst);
}

// ---- the write side: the owner -------------------------------------------------------------

/// Owner's entry: whether this thread is the owner and may run inline now. One plain load and
/// compare of the word with the thread pointer; presence up (one plain add); the same compare
/// again (the Dekker check). On any mismatch the presence is as before and the answer is no:
/// the caller takes its slow route. If yes, `owner_leave` must follow.
#[inline(always)]
pub fn owner_enter() -> bool {
    #[cfg(all(target_arch = "x86_64", not(libq_tsan)))]
    // SAFETY: reads the thread pointer (fs:0, see `thread_pointer`) and the owner word, and
    // adds to/subtracts from the presence, which only the owner writes (the protocol): an
    // unlocked add on an aligned word is exact for its one writer and seen whole by other
    // threads' atomic loads. Plain x86 loads and stores; the asm touches memory, so the
    // compiler keeps it where it is.
    unsafe {
        std::arch::asm!(
            "mov {tp}, qword ptr fs:[0]",
            "cmp qword ptr [rip + {owner}], {tp}",
            "jne {no}",
            "add qword ptr [rip + {owner} + 8], 1",
            "cmp qword ptr [rip + {owner}], {tp}",
            "jne {undo}",
            owner = sym OWNER,
            tp = out(reg) _,
            no = label { return false },
            undo = label {
                presence_down();
                return false
            },
            options(nostack)
        );
        true
    }
    #[cfg(not(all(target_arch = "x86_64", not(libq_tsan))))]
    {
        let me = super::thread_pointer::current();
        if word() != me {
            return false;
        }
        presence_up();
        if word() != me {
            presence_down();
            return false;
        }
        true
    }
}

/// Owner's exit, after `owner_enter` (or `presence_up` on a slow entry): presence down (one
/// plain subtract, Release), then the compare of the word with the thread pointer. False when
/// they differ: the caller runs its slow exit (`owner_left`, and whatever the hints ask).
#[inline(always)]
pub fn owner_leave() -> bool {
    #[cfg(all(target_arch = "x86_64", not(libq_tsan)))]
    // SAFETY: as in `owner_enter`; an x86 store is a Release store.
    unsafe {
        std::arch::asm!(
            "sub qword ptr [rip + {owner} + 8], 1",
            "mov {tp}, qword ptr fs:[0]",
            "cmp qword ptr [rip + {owner}], {tp}",
            "jne {slow}",
            owner = sym OWNER,
            tp = out(reg) _,
            slow = label { return false },
            options(nostack)
        );
        true
    }
    #[cfg(not(all(target_arch = "x86_64", not(libq_tsan))))]
    {
        presence_down();
        word() == super::thread_pointer::current()
    }
}

/// Owner: one level deeper inside the engine (its slow entry; then `owner_take`).
#[inline]
pub fn presence_up() {
    let d = OWNER.presence.load(Relaxed);
    OWNER.presence.store(d + 1, Relaxed);
    compiler_fence(SeqCst);
}

/// Owner: one level out. Release: what the owner did inside happens before a non-owner that
/// sees the presence at 0 takes the engine.
#[inline]
pub fn presence_down() {
    let d = OWNER.presence.load(Relaxed);
    OWNER.presence.store(d.wrapping_sub(1), Release);
    compiler_fence(SeqCst);
}

/// The owner's depth inside the engine (exact on the owner thread; a hint elsewhere).
#[inline]
pub fn presence() -> usize {
    OWNER.presence.load(Acquire)
}

/// Owner giving up ownership (its thread exits, or the dedicated owner stops): it is away.
pub fn reset_presence() {
    OWNER.presence.store(0, SeqCst);
    owner_left();
}

/// Owner, inside (presence up), after its check of the word failed: waits until no
/// non-owner holds the engine, and shuts newcomers out until it leaves.
#[cold]
pub fn owner_take() {
    fence(SeqCst);
    if OWNER.word.load(SeqCst) & FORKING != 0 {
        owner_wait_fork();
    }
    if OWNER.word.load(SeqCst) & HELD == 0 {
        return;
    }
    let mut g = GROUP.fetch_or(OWNER_WAITING, SeqCst) | OWNER_WAITING;
    while g >= ONE {
        futex::wait(&GROUP, g, None);
        g = GROUP.load(Acquire);
    }
    // Nobody holds it and nobody can join (OWNER_WAITING). HELD is cleared first: a non-owner
    // that joins once the group reopens sets it again after its join, so the owner's next
    // entry check still sees it (the other order loses that bit: the model finds it).
    clear_bits(HELD);
    GROUP.fetch_and(!(ADMITTED | OWNER_WAITING), SeqCst);
}

/// Owner, after its presence went down and its check of the word failed: once away (presence
/// 0), wakes the threads waiting for it to leave. (The other hints are the caller's.)
#[cold]
pub fn owner_left() {
    if OWNER.presence.load(Relaxed) != 0 || OWNER.word.load(SeqCst) & WAITERS == 0 {
        return;
    }
    clear_bits(WAITERS);
    EXIT_GEN.fetch_add(1, SeqCst);
    futex::wake(&EXIT_GEN, i32::MAX);
}

// ---- the read and exclusive sides: everyone else -------------------------------------------

/// Which side a non-owner holds.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Side {
    /// With other shared holders, read-only.
    Shared,
    /// Alone (no owner, no other holder), with full rights.
    Exclusive,
}

thread_local! {
    static HOLDING: Cell<Option<Side>> = const { Cell::new(None) };
    static READ_ONLY: Cell<bool> = const { Cell::new(false) };
}

/// A non-owner's hold on the engine; dropping it releases.
pub struct Held {
    read_only_before: bool,
    /// Released last (after the group): dropped after `drop` runs.
    _guard: Guard,
}

impl Drop for Held {
    fn drop(&mut self) {
        HOLDING.with(|h| h.set(None));
        READ_ONLY.with(|r| r.set(self.read_only_before));
        leave_group();
    }
}

fn lock(side: Side) -> Guard {
    let l = NON_OWNERS.get();
    match side {
        Side::Shared => Guard::Shared(l.read().unwrap_or_else(PoisonError::into_inner)),
        Side::Exclusive => Guard::Exclusive(l.write().unwrap_or_else(PoisonError::into_inner)),
    }
}

/// Takes `side` of the engine for this (non-owner) thread; None, holding nothing, when the
/// owner is inside or is waiting to come in. Blocks while other non-owners hold the side out
/// (an exclusive holder, or shared holders for an exclusive request).
pub fn acquire(side: Side) -> Option<Held> {
    debug_assert!(held_here().is_none(), "the engine lock is not re-entrant");
    wait_fork_done();
    admit(side, lock(side))
}

/// As `acquire`, without waiting for other non-owners: None, holding nothing, also when
/// another non-owner holds the side out (a caller then hands its call to a serving owner, which
/// runs the calls that queue up meanwhile, rather than queueing on the lock itself).
pub fn try_acquire(side: Side) -> Option<Held> {
    debug_assert!(held_here().is_none(), "the engine lock is not re-entrant");
    wait_fork_done();
    admit(side, try_lock(side)?)
}

/// With the non-owners' `guard` taken: joins the group (None, dropping the guard, when the
/// owner is inside or waiting) and records what this thread holds.
fn admit(side: Side, guard: Guard) -> Option<Held> {
    if !join_group() {
        return None;
    }
    HOLDING.with(|h| h.set(Some(side)));
    let read_only_before = READ_ONLY.with(|r| r.replace(side == Side::Shared));
    Some(Held {
        read_only_before,
        _guard: guard,
    })
}

fn try_lock(side: Side) -> Option<Guard> {
    use std::sync::TryLockError::{Poisoned, WouldBlock};
    let l = NON_OWNERS.get();
    match side {
        Side::Shared => match l.try_read() {
            Ok(g) => Some(Guard::Shared(g)),
            Err(Poisoned(p)) => Some(Guard::Shared(p.into_inner())),
            Err(WouldBlock) => None,
        },
        Side::Exclusive => match l.try_write() {
            Ok(g) => Some(Guard::Exclusive(g)),
            Err(Poisoned(p)) => Some(Guard::Exclusive(p.into_inner())),
            Err(WouldBlock) => None,
        },
    }
}

/// Counts this thread in the group of non-owner holders: at once if the group is admitted,
/// else after the check against the owner's presence. False (not counted) if the owner is
/// inside or waiting.
fn join_group() -> bool {
    let mut g = GROUP.load(Acquire);
    loop {
        if g & (OWNER_WAITING | G_FORKING) != 0 {
            return false;
        }
        match GROUP.compare_exchange_weak(g, g + ONE, SeqCst, Acquire) {
            Ok(_) => break,
            Err(now) => g = now,
        }
    }
    if g & ADMITTED != 0 {
        return true;
    }
    set_bits(HELD);
    // Without the barrier nothing tells us the owner is away: never admitted then.
    if membarrier::barrier() && OWNER.presence.load(Acquire) == 0 {
        GROUP.fetch_or(ADMITTED, SeqCst);
        return true;
    }
    leave_group();
    false
}

fn leave_group() {
    let old = GROUP.fetch_sub(ONE, SeqCst);
    if old & OWNER_WAITING != 0 && old < 2 * ONE {
        futex::wake(&GROUP, 1);
    }
}

/// The side of the engine this thread holds, if any.
pub fn held_here() -> Option<Side> {
    HOLDING.with(|h| h.get())
}

/// Whether this thread evaluates read-only: global writes must signal `'noupdate`.
pub fn read_only() -> bool {
    READ_ONLY.with(|r| r.get())
}

/// Runs `f` read-only on this thread (the owner running a reader's work for it).
pub fn with_read_only<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            READ_ONLY.with(|r| r.set(self.0));
        }
    }
    let _restore = Restore(READ_ONLY.with(|r| r.replace(true)));
    f()
}

/// Runs `f` with this thread's full rights (not read-only, files writable), whatever it was
/// doing: another thread's call that the owner runs for it while inside a read-only or
/// restricted evaluation of its own (`reval` waiting on a connection) has its own rights.
pub fn with_full_rights<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            READ_ONLY.with(|r| r.set(self.0));
        }
    }
    let _restore = Restore(READ_ONLY.with(|r| r.replace(false)));
    crate::sys::file::allowing_writes(f)
}

/// Whether the owner is inside the engine now, exactly as a non-owner must know it after
/// handing work over (an asymmetric barrier, then the presence). Where the system has no
/// such barrier, answers true: the owner is then assumed inside.
pub fn owner_inside() -> bool {
    if !membarrier::barrier() {
        return true;
    }
    OWNER.presence.load(Acquire) != 0
}

/// Whether anyone holds the engine now (the owner inside, or non-owner holders): a hint for
/// a signal handler (atomic loads only).
pub fn busy() -> bool {
    OWNER.presence.load(Relaxed) != 0 || GROUP.load(Relaxed) >= ONE
}

/// A hint, without a barrier: whether the owner seemed inside a moment ago.
pub fn owner_maybe_inside() -> bool {
    OWNER.presence.load(Relaxed) != 0
}

/// Whether non-owners can take the engine at all: the system has the asymmetric barrier.
pub fn non_owners_can_hold() -> bool {
    membarrier::available()
}

/// Sleeps until the owner is away (its presence 0). Returns at once if it already is. Only
/// where `non_owners_can_hold()`: without the barrier this cannot know.
pub fn wait_owner_away() {
    loop {
        let generation = EXIT_GEN.load(SeqCst);
        set_bits(WAITERS);
        if !membarrier::barrier() || OWNER.presence.load(Acquire) == 0 {
            return;
        }
        futex::wait(&EXIT_GEN, generation, None);
    }
}

// ---- fork ------------------------------------------------------------------------------------

/// 1 while a fork is under way (threads that would come in sleep on it), else 0.
static FORK_GATE: AtomicU32 = AtomicU32::new(0);
/// How long a fork waits for threads inside the engine to leave before it goes ahead.
const FORK_WAIT: std::time::Duration = std::time::Duration::from_millis(200);
/// In a child: another thread was inside the engine when the parent forked.
static POISONED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// What `fork_prepare` saw, for `fork_child` (written and read by the forking thread).
static FORK_OTHERS_INSIDE: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

fn wait_fork_done() {
    while FORK_GATE.load(Acquire) != 0 {
        futex::wait(&FORK_GATE, 1, None);
    }
}

/// The owner, presence up, found a fork under way: it steps out until the fork is done (so
/// the fork does not count it as inside), then in again.
#[cold]
fn owner_wait_fork() {
    if OWNER.presence.load(Relaxed) != 1 {
        return; // nested: the owner was inside already, and the fork counts it so
    }
    presence_down();
    fence(SeqCst);
    wait_fork_done();
    presence_up();
    fence(SeqCst);
}

/// Whether anyone but the calling thread is inside the engine.
fn others_inside() -> bool {
    let me = super::thread_pointer::current();
    let owner_is_me = OWNER.word.load(SeqCst) & !BITS == me;
    let mine = u32::from(held_here().is_some());
    (!owner_is_me && OWNER.presence.load(Acquire) != 0) || GROUP.load(SeqCst) / ONE > mine
}

/// Before a fork (the forking thread): closes the engine (no owner entry, no join), then waits
/// up to `FORK_WAIT` for the threads inside to leave. The engine stays closed until
/// `fork_parent`/`fork_child`.
pub fn fork_prepare() {
    FORK_GATE.store(1, SeqCst);
    set_bits(FORKING);
    GROUP.fetch_or(G_FORKING, SeqCst);
    // Either the owner's presence is visible now, or its next check sees FORKING.
    membarrier::barrier();
    let deadline = std::time::Instant::now() + FORK_WAIT;
    while others_inside() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(1));
        membarrier::barrier();
    }
    FORK_OTHERS_INSIDE.store(others_inside(), SeqCst);
}

/// After a fork, in the parent: opens the engine again.
pub fn fork_parent() {
    GROUP.fetch_and(!G_FORKING, SeqCst);
    clear_bits(FORKING);
    FORK_GATE.store(0, SeqCst);
    futex::wake(&FORK_GATE, i32::MAX);
}

/// After a fork, in the child (one thread, this one): the engine as this thread left it.
/// This thread stays the owner if it was (the dedicated owner thread is gone: no owner then),
/// keeps its hold if it had one, and nobody else is inside or waiting. If another thread was
/// still inside, the engine is closed for good (`poisoned`).
pub fn fork_child() {
    let me = super::thread_pointer::current();
    let was_owner = OWNER.word.load(Relaxed) & !BITS == me;
    let held = held_here();
    // SAFETY: the child has one thread, and no reference to the lock is alive.
    unsafe { std::ptr::write(NON_OWNERS.0.get(), RwLock::new(())) };
    if let Some(side) = held {
        // This thread's `Held` releases it when its call ends.
        std::mem::forget(lock(side));
    }
    GROUP.store(if held.is_some() { ONE | ADMITTED } else { 0 }, SeqCst);
    if !was_owner {
        OWNER.presence.store(0, SeqCst);
    }
    let poisoned = FORK_OTHERS_INSIDE.load(SeqCst);
    POISONED.store(poisoned, SeqCst);
    let owner = if was_owner { me } else { 0 };
    // HELD: a non-owner may hold it (this thread); FORKING stays in a poisoned child, so no
    // owner check ever passes there.
    let bits = if held.is_some() { HELD } else { 0 } | if poisoned { FORKING } else { 0 };
    OWNER.word.store(owner | bits, SeqCst);
    FORK_GATE.store(0, SeqCst);
}

/// In a forked child: whether another thread was inside the engine when the parent forked
/// (the engine is then not usable there).
pub fn poisoned() -> bool {
    POISONED.load(Relaxed)
}
