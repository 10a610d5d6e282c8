package serve

import (
	"context"
	"errors"

	"github.com/hindsight-kb/hindsight/site"
	"github.com/hindsight-kb/hindsight/site/diag"
)

// SiteBuilder returns the Builder of the real site: site.Load for a full
// build, (*site.Site).Update for an incremental one. Its sites are compact
// (site.Options.Compact): the preview holds one for hours, so it keeps
// only what pages, updates and search read.
func SiteBuilder(opts site.Options) Builder {
	opts.Compact = true
	return siteBuilder{opts: opts}
}

type siteBuilder struct{ opts site.Options }

// SiteSnapshot is a *site.Site as a Snapshot.
type SiteSnapshot struct{ *site.Site }

// Problems returns the site's diagnostics.
func (s SiteSnapshot) Problems() []diag.Diagnostic { return s.Site.Diagnostics }

// Attachment reports whether the output path is a content attachment.
func (s SiteSnapshot) Attachment(path string) bool { return s.Site.IsAttachment(path) }

func (b siteBuilder) Load(ctx context.Context) (Snapshot, error) {
	s, err := site.Load(ctx, b.opts)
	if err != nil {
		return nil, err
	}
	return SiteSnapshot{s}, nil
}

func (b siteBuilder) Update(ctx context.Context, prev Snapshot, changed []string) (Snapshot, error) {
	p, ok := prev.(SiteSnapshot)
	if !ok {
		return nil, errors.New("serve: the previous snapshot is not a site")
	}
	s, err := p.Site.Update(ctx, changed)
	if err != nil {
		return nil, err
	}
	return SiteSnapshot{s}, nil
}
