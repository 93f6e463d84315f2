//! Is a session's process alive, and what is it doing: Claude's registry
//! (`sessions/<pid>.json`), process liveness, and the process tree of a tmux pane (its shell's
//! descendants, their command lines, working directories and open session files), for binding
//! a pane to its agent's session. Linux reads `/proc`; elsewhere `ps` and `lsof` stand in.
