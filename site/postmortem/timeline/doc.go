// Package timeline owns the reading of the times that start timeline
// entries, as a person reads them: a date, a clock time, or both; a
// range; an approximate time; a zone written as an abbreviation, an
// offset or an IANA name; template placeholders and impossible values
// refused with a reason (timematch.go). A Reader places each entry of a
// section in time: a time without a date takes the last date written
// above it (an entry's, a heading's or a paragraph's), else the day the
// incident started; a time without a zone takes the previous entry's,
// else UTC when the section says so, else the KB's (reader.go). IsHeading
// says which section is the timeline; Markers writes the time markers of
// the visual timeline (marker.go).
//
// site/postmortem's walk gives it the plain text of each entry and of
// the headings and paragraphs between them, and keeps what it returns in
// postmortem.TimelineEntry; the reading is matched by hand rather than
// with regular expressions because loading is the first stage of every
// command.
package timeline
