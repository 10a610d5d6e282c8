// Package hugeheap asks Linux to back the Go heap with transparent huge
// pages before a command that reads a whole knowledge base (build, check,
// serve, a search that builds the index).
//
// Why: on a virtual machine a page's first touch is expensive (about 16 µs
// per 4 KiB page on the reference VM, where the host backs guest memory
// on demand), and a cold 10k build touches ~480 MiB: ~120,000 faults, two
// of its nine CPU-seconds. Backed by 2 MiB pages the same heap takes a few
// hundred faults (docs/performance.md, "Huge pages").
//
// How: Linux's usual THP mode is "madvise": only regions marked with
// madvise(MADV_HUGEPAGE) get huge pages, and the Go runtime marks none of
// the heap's (since Go 1.21.1). So Reserve allocates untouched byte slices
// (4 MiB each) until the runtime has mapped that much heap address space,
// marks the address ranges they occupy, drops them and collects them. The
// marking stays on the ranges, which the heap then fills as it grows.
// Fresh memory is not touched, so nothing is resident until the program
// uses it.
//
// Reserve does nothing when the kernel's THP mode is "always" (the heap has
// huge pages already) or "never", when GODEBUG=disablethp=1 (the runtime's
// own switch against huge pages), when a memory limit is set (the slices
// would count against it until collected), when the heap has mapped that
// much already (a second call), and on other systems.
package hugeheap
