// Package similar owns "similar incidents": for each postmortem, the
// others most like it by content, as Hugo's related package does for
// pages. Each postmortem is represented by its most distinctive terms
// (tf-idf over the search analyzer's terms of its title, counted three
// times, and body, plus its root causes and systems); two postmortems
// score by the weights of the terms they share, ties going to the more
// recent. A build hands over the term counts the static search export has
// just analysed (Counts.FromFields), so each body is tokenized once;
// Counts.Lists counts the rest itself. The Model the lists come from lets
// serve redo the list of one edited or new postmortem alone
// (Model.ListFor). It reads the parsed model and never the files.
package similar
