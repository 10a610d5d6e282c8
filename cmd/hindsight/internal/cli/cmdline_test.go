package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli/skeleton"
	"gopkg.in/yaml.v3"
)

// This file checks that the hindsight command lines written in files that
// are not Go (the action, the workflows, pre-commit hooks, the docs) name
// commands and flags that exist: each is run through the cobra command
// tree's own parsing, without running it.

// testEnv is an env for tests that do not run commands for real.
func testEnv() *env {
	return &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, now: time.Now,
		ctx: context.Background(), getenv: func(string) string { return "" }, isTTY: func(io.Writer) bool { return false }}
}

// checkCommandLine checks args (without the leading "hindsight"): the
// command exists, its flags parse, the number of arguments fits, and the
// values of flags with a fixed list of values are in the list.
func checkCommandLine(args []string) error {
	root := newRootCmd(testEnv())
	c, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	if c == root {
		if len(args) > 0 && (args[0] == "--version" || args[0] == "--help") {
			return nil
		}
		return fmt.Errorf("no command in %q", args)
	}
	if err := c.ParseFlags(rest); err != nil {
		return fmt.Errorf("%s: %v", c.CommandPath(), err)
	}
	if !c.Runnable() {
		return fmt.Errorf("%s is a help topic, not a command", c.CommandPath())
	}
	if err := c.ValidateArgs(c.Flags().Args()); err != nil {
		return fmt.Errorf("%s: %v", c.CommandPath(), err)
	}
	for flag, vals := range fixedValues()[c.Name()] {
		f := c.Flags().Lookup(flag)
		if f == nil {
			return fmt.Errorf("%s has no --%s, but fixedValues lists it", c.CommandPath(), flag)
		}
		if !f.Changed {
			continue
		}
		for _, v := range strings.Split(strings.Trim(f.Value.String(), "[]"), ",") {
			if !slices.Contains(vals, v) {
				return fmt.Errorf("%s --%s %q: not one of %s", c.CommandPath(), flag, v, strings.Join(vals, ", "))
			}
		}
	}
	return nil
}

// shellWords splits a command line as a shell would for the simple cases
// written in workflows and docs: white space, single and double quotes.
// Expansions ($x, ${x}) are kept as words for the caller to drop.
func shellWords(s string) []string {
	var words []string
	var b strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			b.WriteByte(c)
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				words = append(words, b.String())
				b.Reset()
				in = false
			}
		default:
			b.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, b.String())
	}
	return words
}

// shellEnds are the words that end a simple command.
var shellEnds = map[string]bool{"|": true, "||": true, "&&": true, ";": true, ">": true, "2>": true, ">>": true, "<": true, "&": true, "#": true}

// redirectRE matches a redirection word (>x, 2>&1, <in).
var redirectRE = regexp.MustCompile(`^[0-9]*[<>]`)

// commandStarts are the words after which a command may start.
var commandStarts = map[string]bool{"exec": true, "then": true, "do": true, "else": true, "time": true, "!": true}

// hindsightLines finds the hindsight commands in a shell script: a word
// "hindsight" (or a path ending in /hindsight) in command position, and
// the words after it up to the end of the simple command. Words that are
// shell expansions ($x, ${x}) are dropped.
func hindsightLines(script string) [][]string {
	var out [][]string
	for _, line := range strings.Split(script, "\n") {
		words := shellWords(line)
		start := true
		for i := 0; i < len(words); i++ {
			w := words[i]
			if strings.HasPrefix(w, "#") {
				break // a comment
			}
			if shellEnds[w] {
				start = true
				continue
			}
			if !start {
				continue
			}
			if commandStarts[w] || strings.Contains(w, "=") && !strings.HasPrefix(w, "-") {
				continue // exec, or an environment assignment before the command
			}
			start = false
			if w != "hindsight" && !strings.HasSuffix(w, "/hindsight") {
				continue
			}
			var args []string
			for i++; i < len(words) && !shellEnds[words[i]] && !redirectRE.MatchString(words[i]) && !strings.HasPrefix(words[i], "#"); i++ {
				if !strings.HasPrefix(words[i], "$") {
					args = append(args, words[i])
				}
			}
			out = append(out, args)
			start = true
		}
	}
	return out
}

// exprRE matches a GitHub Actions expression; quotedFlagRE the quoted
// strings in it that hold flags.
var (
	exprRE       = regexp.MustCompile(`\$\{\{.*?\}\}`)
	quotedFlagRE = regexp.MustCompile(`'(--[^']*)'`)
)

// expandExpr replaces each ${{ }} expression of a workflow value by the
// flags it may produce ('--since origin/{0}' becomes --since origin/x), so
// every flag an expression can yield is checked.
func expandExpr(s string) string {
	return exprRE.ReplaceAllStringFunc(s, func(x string) string {
		var parts []string
		for _, m := range quotedFlagRE.FindAllStringSubmatch(x, -1) {
			parts = append(parts, strings.ReplaceAll(m[1], "{0}", "x"))
		}
		return strings.Join(parts, " ")
	})
}

// workflowCommands returns the hindsight command lines of a workflow or
// action file: the run: scripts of its steps, and the steps that use the
// hindsight action (with: command and args; command defaults to check).
func workflowCommands(t *testing.T, name string, data []byte) [][]string {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out [][]string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if uses, ok := v["uses"].(string); ok && (strings.HasPrefix(uses, skeleton.ActionRepo+"@") || uses == "./") {
				with, _ := v["with"].(map[string]any)
				command, ok := with["command"].(string)
				if !ok {
					command = "check"
				}
				args, _ := with["args"].(string)
				if command != "" {
					out = append(out, append([]string{command}, shellWords(expandExpr(args))...))
				}
			}
			if run, ok := v["run"].(string); ok {
				out = append(out, hindsightLines(expandExpr(run))...)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	return out
}

// markdownCommands returns the hindsight command lines of a Markdown file's
// code blocks (shell and YAML). Synopsis lines with [optional] parts are
// left out.
func markdownCommands(src string) [][]string {
	var out [][]string
	in := false
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			in = !in
			continue
		}
		if !in || strings.Contains(line, "[--") || strings.Contains(line, "[PATH") || strings.Contains(line, "[DIR]") {
			continue
		}
		l := strings.TrimSpace(line)
		l = strings.TrimPrefix(l, "- ")
		l = strings.TrimPrefix(l, "run: ")
		l = strings.TrimPrefix(l, "entry: ")
		out = append(out, hindsightLines(l)...)
	}
	return out
}

// checkLines reports each command line that does not check.
func checkLines(t *testing.T, name string, lines [][]string) {
	t.Helper()
	for _, args := range lines {
		if len(args) == 0 {
			continue // only expansions ("$COMMAND" $ARGS): nothing to check
		}
		if err := checkCommandLine(args); err != nil {
			t.Errorf("%s: hindsight %s: %v", name, strings.Join(args, " "), err)
		}
	}
}

func readRepoFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../../../" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
