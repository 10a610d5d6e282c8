package site

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// appendJSON appends a as encoding/json would (same fields, order,
// omitempty and escaping), or returns false, leaving the caller to use
// encoding/json, when a holds a value that encoding/json refuses or
// writes in a way not copied here: a time outside years 0–9999, a cost
// that is NaN or infinite.
func (a *APIPostmortem) appendJSON(b []byte) ([]byte, bool) {
	b = jsonField(b, `{"id":`, a.ID)
	b = jsonField(b, `,"title":`, a.Title)
	b = jsonField(b, `,"url":`, a.URL)
	b = jsonField(b, `,"severity":`, a.Severity)
	b = jsonField(b, `,"status":`, a.Status)
	b = jsonField(b, `,"category":`, a.Category)
	b = append(b, `,"drill":`...)
	b = strconv.AppendBool(b, a.Drill)
	b = append(b, `,"near_miss":`...)
	b = strconv.AppendBool(b, a.NearMiss)
	for _, t := range []struct {
		key string
		t   *time.Time
	}{{`,"started":`, a.Started}, {`,"detected":`, a.Detected}, {`,"contained":`, a.Contained}, {`,"resolved":`, a.Resolved}} {
		if t.t == nil {
			continue
		}
		if y := t.t.Year(); y < 0 || y > 9999 {
			return b, false
		}
		b = append(b, t.key...)
		b = append(b, '"')
		b = t.t.AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	}
	b = appendJSONStrings(append(b, `,"root_causes":`...), a.RootCauses)
	b = appendJSONStrings(append(b, `,"systems":`...), a.Systems)
	b = jsonListIf(b, `,"data_involved":`, a.DataInvolved)
	b = jsonFieldIf(b, `,"detection":`, a.Detection)
	b = jsonListIf(b, `,"attack_techniques":`, a.AttackTechniques)
	if im := a.Impact; im != nil {
		b = append(b, `,"impact":{`...)
		sep := ""
		for _, n := range []struct {
			key string
			v   *int64
		}{{`"users_affected":`, im.UsersAffected}, {`"records_exposed":`, im.RecordsExposed}, {`"downtime_minutes":`, im.DowntimeMinutes}} {
			if n.v != nil {
				b = append(append(b, sep...), n.key...)
				b = strconv.AppendInt(b, *n.v, 10)
				sep = ","
			}
		}
		if im.CostUSD != nil {
			var ok bool
			b = append(append(b, sep...), `"cost_usd":`...)
			if b, ok = appendJSONFloat(b, *im.CostUSD); !ok {
				return b, false
			}
			sep = ","
		}
		if im.Reputation != "" {
			b = jsonField(append(b, sep...), `"reputation":`, im.Reputation)
		}
		b = append(b, '}')
	}
	b = append(b, `,"actions":`...)
	if a.Actions == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range a.Actions {
			if i > 0 {
				b = append(b, ',')
			}
			b = a.Actions[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	b = jsonListIf(b, `,"authors":`, a.Authors)
	b = jsonListIf(b, `,"related":`, a.Related)
	b = jsonFieldIf(b, `,"visibility":`, a.Visibility)
	b = jsonListIf(b, `,"tags":`, a.Tags)
	b = jsonFieldIf(b, `,"recurrence_of":`, a.RecurrenceOf)
	return append(b, '}'), true
}

// appendJSON appends x as encoding/json would.
func (x *APIAction) appendJSON(b []byte) []byte {
	b = jsonField(b, `{"title":`, x.Title)
	b = jsonFieldIf(b, `,"owner":`, x.Owner)
	b = jsonFieldIf(b, `,"priority":`, x.Priority)
	b = jsonFieldIf(b, `,"due":`, x.Due)
	b = jsonField(b, `,"status":`, x.Status)
	b = jsonFieldIf(b, `,"ticket":`, x.Ticket)
	b = jsonFieldIf(b, `,"done_on":`, x.DoneOn)
	b = append(b, `,"overdue":`...)
	b = strconv.AppendBool(b, x.Overdue)
	return append(b, '}')
}

// jsonField appends key (with its separator and colon) and s.
func jsonField(b []byte, key, s string) []byte {
	return appendJSONString(append(b, key...), s)
}

// jsonFieldIf is jsonField for an omitempty field: nothing when s is "".
func jsonFieldIf(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return jsonField(b, key, s)
}

// jsonListIf appends key and l for an omitempty list: nothing when l is
// empty.
func jsonListIf(b []byte, key string, l []string) []byte {
	if len(l) == 0 {
		return b
	}
	return appendJSONStrings(append(b, key...), l)
}

// appendJSONStrings appends l as a JSON array (null when nil, as
// encoding/json writes a nil slice).
func appendJSONStrings(b []byte, l []string) []byte {
	if l == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (HTML characters included). Plain printable ASCII, nearly
// every value, is copied; anything else goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONFloat appends f as encoding/json writes a float64, or returns
// false for NaN and the infinities, which encoding/json refuses.
func appendJSONFloat(b []byte, f float64) ([]byte, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, true
}
