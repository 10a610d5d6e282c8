// Package config owns hindsight.yaml: its schema, its defaults and its
// validation. Every key is optional; an unknown key or a bad value is a
// diagnostic that names the key and its line.
package config
