package jsrun

import "syscall"

// orphanSignal has the kernel kill a child when its parent dies (killed,
// or its job cancelled), rather than leave it running.
func orphanSignal() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
