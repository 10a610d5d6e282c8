package check

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// UnsafeAttachment is the id of the rule that refuses attachments a
// browser would run script from: on the published site they would run on
// the organisation's own domain.
const UnsafeAttachment = "unsafe-attachment"

// scriptExts are the attachment types a browser runs script from, by the
// type a web server gives them. An .xml file is one only when it holds
// (X)HTML, SVG, script or a style sheet (activeXML).
var scriptExts = map[string]string{
	".svg": "an SVG image", ".svgz": "an SVG image",
	".html": "an HTML page", ".htm": "an HTML page", ".shtml": "an HTML page",
	".xhtml": "an XHTML page", ".xht": "an XHTML page",
	".js": "a JavaScript file", ".mjs": "a JavaScript file",
}

// textExts are the attachment types scanned for credentials whatever
// their first bytes; other attachments are scanned when their first 8 KiB
// hold no NUL byte.
var textExts = map[string]bool{
	".log": true, ".txt": true, ".json": true, ".env": true, ".yaml": true, ".yml": true,
	".toml": true, ".csv": true, ".conf": true, ".cfg": true, ".ini": true, ".xml": true,
	".svg": true, ".html": true, ".htm": true, ".xhtml": true, ".js": true, ".mjs": true,
	".sh": true, ".sql": true, ".properties": true, ".tf": true, ".har": true, "": true,
}

// binaryExts are attachment types that are never text (images, documents,
// archives, fonts, media): they are not read.
var binaryExts = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".avif": true,
	".ico": true, ".bmp": true, ".tif": true, ".tiff": true, ".pdf": true, ".zip": true,
	".gz": true, ".tgz": true, ".bz2": true, ".xz": true, ".7z": true, ".woff": true,
	".woff2": true, ".ttf": true, ".otf": true, ".mp4": true, ".webm": true, ".mov": true,
	".mp3": true, ".ogg": true, ".wav": true,
}

// sniffLen is how much of an attachment of another type is looked at for
// a NUL byte, the sign of a binary file.
const sniffLen = 8 << 10

// checkFiles runs the rules on the selected attachments and on
// hindsight.yaml, if selected.
func (c *Context) checkFiles(only func(string) bool, workers int) []diag.Diagnostic {
	var names []string
	for _, a := range c.KB.Assets {
		if only(a) {
			names = append(names, a)
		}
	}
	results := make([][]diag.Diagnostic, len(names)+1)
	kb.Parallel(len(names), workers, func(i int) { results[i] = c.checkAttachment(names[i]) })
	if only(config.FileName) {
		results[len(names)] = c.checkConfig()
	}
	return slices.Concat(results...)
}

// checkAttachment runs unsafe-attachment and secret on an attachment (a
// file under content/ that is neither a postmortem nor a page).
func (c *Context) checkAttachment(rel string) []diag.Diagnostic {
	unsafeOn := c.Config.Level(UnsafeAttachment, diag.Error) != diag.Off
	secretOn := c.Config.Level("secret", diag.Error) != diag.Off
	ext := strings.ToLower(path.Ext(rel))
	var out []diag.Diagnostic
	if kind, ok := scriptExts[ext]; ok && unsafeOn {
		out = append(out, unsafeDiag(rel, kind))
	}
	if binaryExts[ext] || !secretOn && !(unsafeOn && ext == ".xml") {
		return out
	}
	data, err := c.KB.ReadAsset(rel, c.Config.MaxFileSize)
	if err != nil {
		if textExts[ext] && secretOn {
			out = append(out, diag.Diagnostic{File: rel, Severity: diag.Warning, Rule: "secret",
				Message: fmt.Sprintf("attachment not scanned for credentials: %v; make it smaller than max_file_size (or raise the limit) so it can be checked before it is published", err)})
		}
		return out
	}
	if ext == ".xml" && unsafeOn && activeXML(data) {
		out = append(out, unsafeDiag(rel, "an XML file holding XHTML, SVG, script or a style sheet"))
	}
	if secretOn && (textExts[ext] || bytes.IndexByte(data[:min(len(data), sniffLen)], 0) < 0) {
		out = append(out, secret{}.CheckText(c, &Doc{Path: rel, Source: data, Lines: postmortem.LineStarts(data)})...)
	}
	return out
}

func unsafeDiag(rel, kind string) diag.Diagnostic {
	return errorf(rel, diag.Pos{}, UnsafeAttachment, fmt.Sprintf(
		"attachment is %s, which can run script in the reader's browser on the published site's own domain; "+
			"convert it to PNG if it is a picture, or publish it elsewhere and link to it as a download "+
			"(to publish it as it is, switch the rule off: rules: {%s: off} in hindsight.yaml)", kind, UnsafeAttachment))
}

// activeXML reports whether an XML file holds something a browser runs:
// an XHTML or SVG namespace (the browser renders it as a page), a script
// element, a javascript: URL or a style sheet processing instruction.
func activeXML(data []byte) bool {
	lower := bytes.ToLower(data)
	for _, s := range []string{"<script", "javascript:", "http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg", "<?xml-stylesheet"} {
		if bytes.Contains(lower, []byte(s)) {
			return true
		}
	}
	return false
}

// checkConfig runs secret on hindsight.yaml: its values end up in the
// site (repo_url in every "edit this page" link).
func (c *Context) checkConfig() []diag.Diagnostic {
	if c.Config.File == "" || c.Config.Level("secret", diag.Error) == diag.Off {
		return nil
	}
	data, err := c.KB.ReadAsset(config.FileName, c.Config.MaxFileSize)
	if err != nil {
		return []diag.Diagnostic{{File: config.FileName, Severity: diag.Warning, Rule: "secret",
			Message: fmt.Sprintf("configuration not scanned for credentials: %v", err)}}
	}
	return secret{}.CheckText(c, &Doc{Path: config.FileName, Source: data, Lines: postmortem.LineStarts(data)})
}
