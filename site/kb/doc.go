// Package kb owns loading a knowledge base from disk: it walks
// content/postmortems/ (recursively, following folder symlinks without
// looping) and content/*.md, reads each file, rejects files that are too
// large, unreadable or not UTF-8 with a diagnostic, and parses the rest in
// parallel on all cores with site/postmortem. It is the first stage of the
// pipeline and the only one that reads content files.
//
// The KB is untrusted input: every read goes through a Dir, an os.Root
// on the KB's folder, which reads only regular files inside it. A symlink
// leading out of the KB, a named pipe or a device is a file-unreadable
// diagnostic naming the path, never opened.
package kb
