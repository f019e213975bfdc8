//! Threads that read ahead of the user (the names a filter ranks, the count of a list,
//! the finder's records, what is due) run at the lowest priority, so they take only the
//! time the thread drawing the screen leaves: on a machine of two cores, three threads
//! reading while a key is answered made a screen switch three times slower.

/// Lower the calling thread's priority to the least (nice 19 on Linux, where the nice
/// value belongs to a thread and the threads it starts inherit it). Elsewhere nothing is
/// changed: there the call would lower the whole process.
pub fn run_in_background() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take plain values and touch no memory of ours.
    unsafe {
        let tid = libc::gettid();
        // A failure leaves the priority as it was, which is only slower.
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19);
    }
}

#[cfg(test)]
mod tests {
    /// The thread that calls it runs at nice 19 afterwards; others keep theirs.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_background_thread_runs_at_the_lowest_priority() {
        let nice =
            || unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) };
        let before = nice();
        let inside = std::thread::spawn(move || {
            super::run_in_background();
            nice()
        })
        .join()
        .unwrap();
        assert_eq!(inside, 19);
        assert_eq!(nice(), before);
    }
}
