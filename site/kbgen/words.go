package kbgen

// Word banks and sentence templates. Placeholders in braces are filled by
// (*writer).fill; see there for the list. The banks are ordered roughly by
// how common the term is: draws use a Zipf-like skew, so the first entries
// appear in most files and the last ones in few.

var techNouns = []string{
	"deploy", "config", "database", "latency", "error rate", "traffic", "request", "connection", "alert",
	"dashboard", "node", "cluster", "replica", "certificate", "queue", "worker", "cache", "timeout",
	"retry", "health check", "load balancer", "pod", "container", "log", "metric", "query", "index",
	"backlog", "memory", "CPU", "disk", "region", "zone", "endpoint", "token", "session", "policy",
	"role", "permission", "bucket", "snapshot", "backup", "migration", "schema", "table", "lock",
	"thread pool", "connection pool", "circuit breaker", "rate limiter", "DNS record", "TTL", "resolver",
	"firewall rule", "security group", "VPC", "subnet", "route table", "proxy", "sidecar", "mesh",
	"canary", "rollout", "rollback", "feature flag", "runbook", "pager", "on-call rotation", "escalation",
	"ticket", "audit log", "access review", "service account", "API key rotation", "webhook", "cron job",
	"batch job", "consumer group", "partition", "offset", "leader election", "heartbeat", "lease",
	"quorum", "write-ahead log", "vacuum", "checkpoint", "compaction", "shard", "hot key", "eviction",
	"garbage collector", "heap", "file descriptor", "socket", "kernel", "inode", "mount", "volume",
	"storage class", "autoscaler", "node pool", "taint", "admission controller", "init container",
	"liveness probe", "readiness probe", "ingress", "egress", "NAT gateway", "peering", "BGP session",
	"anycast", "origin", "edge node", "WAF rule", "bot score", "CAPTCHA", "SPF record", "DKIM signature",
	"DMARC policy", "mail filter", "sandbox", "EDR agent", "quarantine", "hash", "IOC", "YARA rule",
	"detection rule", "SIEM query", "correlation rule", "threat intel feed", "playbook", "forensic image",
	"chain of custody", "conditional access", "device posture", "MFA prompt", "OAuth grant", "refresh token",
	"SAML assertion", "JWT", "signing key", "key ring", "HSM", "KMS key", "envelope encryption",
	"dependency", "lockfile", "SBOM", "CVE", "patch window", "exploit", "payload", "web shell",
	"reverse shell", "beacon", "C2 domain", "exfiltration", "staging area", "tenant", "row-level security",
	"ORM", "prepared statement", "serializer", "parser", "regex", "Unicode normalisation", "idempotency key",
	"dead-letter queue", "outbox", "saga", "two-phase commit", "clock", "NTP", "leap second",
	"monotonic clock", "cron expression", "daylight saving change", "locale", "rounding rule",
}

// rareWords are the long tail: each file uses a few.
var rareWords = []string{
	"thundering-herd", "split-brain", "tombstone", "hysteresis", "heisenbug", "backpressure", "head-of-line",
	"cardinality", "fan-out", "brownout", "blackhole", "flapping", "jitter", "slowloris", "amplification",
	"seccomp", "cgroup", "OOM-killer", "conntrack", "ephemeral-port", "SYN-flood", "MTU", "fragmentation",
	"nonce", "replay", "downgrade", "homoglyph", "typosquat", "watering-hole", "living-off-the-land",
	"persistence", "exfil", "beaconing", "sinkhole", "honeytoken", "canarytoken", "entropy", "TOCTOU",
	"deserialisation", "prototype-pollution", "path-traversal", "zip-slip", "XXE", "clickjacking",
	"open-redirect", "subdomain-takeover", "dangling-CNAME", "certificate-pinning", "OCSP-stapling",
	"cross-signing", "intermediate-chain", "SNI", "ALPN", "HTTP/2-reset", "QUIC", "keepalive", "Nagle",
	"tail-latency", "p999", "coordinated-omission", "autovacuum", "bloat", "wraparound", "deadlock",
	"livelock", "priority-inversion", "starvation", "backfill", "reindex", "resharding", "rebalance",
	"ISR-shrink", "under-replicated", "fencing-token", "lease-expiry", "stale-read", "read-your-writes",
	"linearizability", "idempotence", "exactly-once", "at-least-once", "poison-message", "reconciliation",
	"drift", "snowflake-server", "golden-image", "immutable-infrastructure", "blue-green", "dark-launch",
	"kill-switch", "feature-toggle-debt", "config-drift", "orphaned-resource", "zombie-process",
	"runaway-query", "N+1", "fan-in", "hot-partition", "skew", "thrash", "swap-storm", "page-cache",
	"NUMA", "hugepages", "steal-time", "noisy-neighbour", "burst-credits", "throttling", "quorum-loss",
	"epoch", "vector-clock", "gossip", "anti-entropy", "merkle-tree", "bloom-filter", "checksum-mismatch",
	"bit-flip", "torn-write", "fsync", "write-amplification", "TRIM", "RAID-rebuild", "degraded-array",
}

var adjectives = []string{
	"unexpected", "gradual", "sudden", "intermittent", "sustained", "partial", "silent", "noisy",
	"stale", "misleading", "incomplete", "redundant", "manual", "automated", "brittle", "undocumented",
	"legacy", "shared", "regional", "global", "transient", "cascading", "latent", "orphaned",
}

var pastVerbs = []string{
	"rolled back", "restarted", "drained", "scaled out", "failed over", "rotated", "revoked", "patched",
	"rebuilt", "re-indexed", "throttled", "blocked", "isolated", "quarantined", "re-deployed", "purged",
	"reconfigured", "pinned", "disabled", "re-enabled", "promoted", "resynchronised", "replayed", "reissued",
}

var metrics = []string{
	"p99 latency", "error rate", "queue depth", "CPU saturation", "memory usage", "connection count",
	"request rate", "replication lag", "disk usage", "GC pause time", "open file descriptors",
	"failed logins", "blocked requests", "egress bandwidth", "consumer lag",
}

var summaryTemplates = []string{
	"On {date}, {cause} on the {sys} led to {symptom} for about {dur}.",
	"{Symptom} hit the {sys} for {dur} because of {cause}.",
	"The {sys} showed {adj} {metric} that turned into {symptom}; the trigger was {cause}.",
	"Customers and staff saw {symptom} while the {sys} struggled with {cause}.",
	"A {adj} change to the {tech} of the {sys} exposed {cause} and caused {symptom}.",
	"The incident began when {cause} met a {adj} {tech} on the {sys2}.",
	"Responders {verb} the {tech} and the {sys} recovered after {dur}.",
	"Impact stayed within the {sys} and the {sys2}; other services were unaffected.",
	"The on-call engineer of {team} led the response, with help from {team2}.",
	"We first suspected the {tech}, but the evidence pointed to {cause}.",
	"No data was lost, and the {tech} kept every {tech2} it received.",
	"The {rare} behaviour of the {tech} made the first hour confusing.",
	"This is the {nth} incident this year in which the {sys} was affected.",
}

var rcaTemplates = []string{
	"The direct cause was {cause}: the {tech} of the {sys} {verbPresent} when {cond}.",
	"Underneath it, the {tech} had no safeguard against {rare}, so one bad {tech2} spread to every {tech3}.",
	"Nothing in the {tech} pipeline checked for this case; the gap had existed since the {sys} moved to a {adj} {tech2}.",
	"{team} had seen a similar {metric} spike before, but the alert threshold was set for {adj} load.",
	"Our design assumed the {tech} would fail closed; in practice it failed open and the {sys2} kept sending traffic.",
	"A {adj} dependency between the {sys} and the {sys2} was not in the service catalogue, so the blast radius was larger than expected.",
	"The {tech} and the {tech2} disagreed about state for {n} minutes, a classic {rare} situation.",
	"Contributing factor: the runbook for the {sys} described the {tech} as it was before the last migration.",
	"Contributing factor: {metric} was graphed but not alerted on, so the early signal went unnoticed.",
	"Contributing factor: the {tech} defaults changed in an upgrade and nobody reviewed the release notes.",
	"Why did it take so long? The dashboards showed {metric} per region, which hid the {adj} pattern.",
	"Why was it possible? The {tech} accepted input that the {tech2} never produces, and no test covered it.",
	"The process worked as designed; the design did not account for {rare} under {adj} load.",
	"Five whys led from the {symptom} to the {tech}, then to the {tech2} and finally to {cause}.",
}

var impactTemplates = []string{
	"The {sys} served {symptom} to about {pct}% of requests at the peak.",
	"Support received {n} tickets linked to the incident; most were resolved with a standard reply.",
	"Revenue impact is estimated from the drop in completed orders against the same weekday a week earlier.",
	"The {sys2} saw a {adj} rise in {metric} but stayed within its objective.",
	"The error budget of the {sys} for the quarter was {pct}% spent by this incident alone.",
	"No customer data left our control; access logs for the {tech} were reviewed end to end.",
	"Partners integrated through the {sys2} received delayed events and replayed them from the {tech}.",
}

var commsTemplates = []string{
	"Status page updated within {n} minutes of detection and again at containment.",
	"Summary sent to engineering leadership and {team} the same day.",
	"Customer support received a macro for tickets about {symptom}.",
	"Affected customers were notified by email after the review with Legal.",
	"The incident channel stayed open until every P0 and P1 action had an owner.",
	"A short write-up was shared in the weekly operations review.",
	"Key partners were briefed by their account managers the next morning.",
	"The draft of this report was reviewed by {team} and {team2} before publication.",
	"Regulators were not notified: the assessment found no reportable personal data breach.",
}

var lessonTemplates = []string{
	"A {adj} {tech} is still a dependency; list it in the service catalogue.",
	"Alerting on {metric} would have cut time to detect from {ttd} to minutes.",
	"Practising the {tech} procedure in a game day would have shown the gap earlier.",
	"Small canaries catch {rare} problems that load tests miss.",
	"Keep the runbook next to the code so it changes with the {tech}.",
	"Rollback first, diagnose second: the {tech} could have been {verb} much sooner.",
	"Good notes in the incident channel made this timeline easy to write.",
	"Clear ownership of the {sys} helped: {team} had an on-call engineer who knew the {tech2}.",
	"The {rare} failure mode deserves a test of its own.",
}

var presentVerbs = []string{
	"stopped accepting writes", "returned stale data", "dropped requests", "retried without backoff",
	"rejected valid tokens", "ran out of memory", "lost its leader", "served the default config",
	"skipped validation", "timed out", "logged too much", "kept stale connections",
}

var conditions = []string{
	"load doubled", "the primary restarted", "the certificate chain changed", "a deploy overlapped a batch job",
	"a region failed over", "traffic shifted between zones", "the cache was flushed", "the clock jumped",
	"the quota was reached", "a dependency slowed down", "a new client version shipped",
}

var timelineBefore = []string{
	"Change `{change}` rolled out to the {sys}.",
	"{Metric} on the {sys} starts to rise.",
	"First errors from the {tech} in the {sys} logs.",
	"Batch job on the {sys2} starts as scheduled.",
	"Traffic to the {sys} climbs above the usual peak.",
	"{Symptom} begins for a first set of users.",
}

var timelineDetect = []string{
	"Alert on {metric} fires; on-call paged. **Detected.**",
	"Customer report reaches support and is escalated to {team}. **Detected.**",
	"Synthetic check for the {sys} fails in two regions. **Detected.**",
	"On-call of {team} notices {adj} {metric} on the dashboard and opens an incident. **Detected.**",
	"Third-party notification received by the security alias. **Detected.**",
}

var timelineRespond = []string{
	"Incident channel opened; incident commander from {team}.",
	"On-call confirms {symptom} and checks recent changes to the {tech}.",
	"{Metric} graph shows the problem started before the alert.",
	"Rolled back `{change}`; no improvement.",
	"{team} joins; suspicion moves to the {tech2}.",
	"Status page updated: investigating.",
	"Logs show the {tech} {verbPresent}.",
	"Decision to {verbBase} the {tech} on the {sys}.",
	"Engaged the vendor's support for the {sys2}.",
}

var timelineContain = []string{
	"{Verb} the {tech}; errors stop growing. **Contained.**",
	"Blocked the source at the edge; {metric} back to normal. **Contained.**",
	"Traffic shifted away from the affected zone. **Contained.**",
	"Revoked the affected sessions and tokens. **Contained.**",
}

var timelineRecover = []string{
	"Backlog of {tech2} replayed from the queue.",
	"{Sys} scaled back to normal capacity.",
	"Verification: error rate and {metric} normal for 30 minutes.",
	"Data reconciliation for the affected window started.",
	"Follow-up tickets filed for the corrective actions.",
	"Status page updated: monitoring.",
}

var timelineResolve = []string{
	"All checks green; incident resolved.",
	"Reconciliation complete; incident resolved.",
	"Status page marked resolved; incident closed.",
}

var baseVerbs = []string{"restart", "drain", "scale out", "fail over", "rotate", "revoke", "patch", "rebuild", "throttle", "disable"}

var logLevels = []string{"INFO", "WARN", "ERROR", "ERROR", "WARN"}

var logMessages = []string{
	"upstream connect error or disconnect/reset before headers, retries=%d",
	"pool exhausted: %d of %d connections in use, waited 5000ms",
	"x509: certificate has expired or is not yet valid (serial=%d)",
	"slow query took %dms on table orders (rows examined=%d)",
	"health check failed: HTTP 503 after %dms",
	"consumer lag %d messages on partition %d",
	"write failed: no space left on device (%d%% used)",
	"rate limit exceeded for client group %d (%d req/s)",
	"lock wait timeout exceeded after %ds on relation %d",
	"OOMKilled: container exceeded memory limit (%dMi of %dMi)",
	"denied login for user id %d from ASN %d (reason=mfa_failed)",
	"blocked outbound connection to 203.0.113.%d:%d by egress policy",
}
