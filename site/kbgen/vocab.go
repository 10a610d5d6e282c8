package kbgen

// The tables below are read-only data: the generator never writes to them.

// cause is one entry of the generated cause vocabulary.
type cause struct {
	slug, title, desc string
	// phrase is the cause as it reads inside a sentence ("an expired
	// certificate").
	phrase string
	// cats are the categories the cause typically leads to, most likely
	// first.
	cats []string
}

var causes = []cause{
	{"expired-certificate", "Expired certificate", "A TLS certificate reached its end of validity before it was renewed.", "an expired TLS certificate", []string{"outage"}},
	{"config-push-without-canary", "Configuration pushed without canary", "A configuration change reached the whole fleet at once instead of a canary slice first.", "a configuration push that skipped the canary stage", []string{"outage", "misconfiguration"}},
	{"capacity-exhaustion", "Capacity exhaustion", "Demand exceeded provisioned compute, network or storage capacity.", "exhausted capacity", []string{"outage", "denial-of-service"}},
	{"connection-pool-exhaustion", "Connection pool exhaustion", "Clients held or leaked pooled connections until none were left.", "an exhausted connection pool", []string{"outage"}},
	{"retry-storm", "Retry storm", "Aggressive client retries without backoff multiplied load on a struggling dependency.", "a retry storm without backoff", []string{"outage", "denial-of-service"}},
	{"missing-rate-limit", "Missing rate limit", "An endpoint accepted unbounded request rates from a single client.", "a missing rate limit", []string{"denial-of-service", "account-compromise", "outage"}},
	{"dns-misconfiguration", "DNS misconfiguration", "A DNS record or zone change pointed names at the wrong targets or removed them.", "a DNS misconfiguration", []string{"outage", "misconfiguration"}},
	{"database-failover-failure", "Database failover did not complete", "Automatic promotion of a replica stalled or left clients on the old primary.", "a database failover that did not complete", []string{"outage"}},
	{"schema-migration-lock", "Schema migration took a table lock", "A migration held an exclusive lock on a busy table.", "a schema migration holding a table lock", []string{"outage"}},
	{"cache-stampede", "Cache stampede", "Many requests missed the cache at once and overloaded the origin.", "a cache stampede", []string{"outage"}},
	{"memory-leak", "Memory leak", "A process kept memory it no longer needed until it was killed.", "a memory leak", []string{"outage"}},
	{"disk-full", "Disk full", "A volume ran out of space and writes started to fail.", "a full disk", []string{"outage"}},
	{"clock-skew", "Clock skew", "Hosts disagreed about the current time by more than a protocol tolerates.", "clock skew between hosts", []string{"outage", "other"}},
	{"race-condition", "Race condition", "Two operations interleaved in an order the code did not expect.", "a race condition", []string{"outage", "vulnerability"}},
	{"feature-flag-misconfiguration", "Feature flag misconfiguration", "A flag was enabled for the wrong audience or with a wrong value.", "a misconfigured feature flag", []string{"misconfiguration", "outage", "data-leak"}},
	{"incomplete-rollback", "Rollback procedure incomplete", "The rollback path was missing steps or had not been exercised.", "an incomplete rollback procedure", []string{"outage"}},
	{"alert-gap", "Missing or silent alert", "No alert existed for the failure, or it fired into a channel nobody watched.", "a missing alert", []string{"outage", "intrusion", "breach"}},
	{"insufficient-logging", "Insufficient logging", "Logs needed to detect or investigate the event were absent or kept too briefly.", "insufficient logging", []string{"intrusion", "breach", "account-compromise"}},
	{"third-party-outage", "Third-party provider outage", "A vendor or cloud provider service we depend on failed.", "an outage at a third-party provider", []string{"outage", "other"}},
	{"quota-limit", "Cloud quota limit reached", "A provider quota capped API calls, instances or addresses.", "a cloud quota limit", []string{"outage"}},
	{"single-point-of-failure", "Single point of failure", "One component without redundancy took the service down with it.", "a single point of failure", []string{"outage"}},
	{"untested-backups", "Untested backups", "Backups existed but restores had never been verified end to end.", "backups that had never been restored", []string{"outage", "malware"}},
	{"runbook-outdated", "Outdated runbook", "The runbook described a system that had since changed.", "an outdated runbook", []string{"outage", "other"}},
	{"unpatched-dependency", "Unpatched dependency", "A library or package with a known vulnerability stayed deployed.", "an unpatched dependency", []string{"vulnerability", "intrusion", "breach"}},
	{"missing-input-validation", "Missing input validation", "User input reached a sensitive operation without being validated.", "missing input validation", []string{"vulnerability", "intrusion"}},
	{"sql-injection", "SQL injection", "Untrusted input was concatenated into a database query.", "an SQL injection flaw", []string{"vulnerability", "breach", "intrusion"}},
	{"ssrf", "Server-side request forgery", "A service fetched attacker-chosen URLs, including internal ones.", "a server-side request forgery flaw", []string{"vulnerability", "intrusion"}},
	{"secret-in-source-control", "Secret in source control", "A credential was committed to a repository.", "a credential committed to source control", []string{"data-leak", "account-compromise"}},
	{"long-lived-credentials", "Long-lived credentials", "Static keys or tokens that never expire were in use.", "long-lived static credentials", []string{"account-compromise", "data-leak", "intrusion"}},
	{"overly-permissive-iam", "Overly permissive IAM policy", "A role or user could do far more than its job required.", "an overly permissive IAM policy", []string{"misconfiguration", "breach", "intrusion"}},
	{"public-storage-bucket", "Publicly readable storage bucket", "An object storage bucket allowed anonymous reads.", "a publicly readable storage bucket", []string{"data-leak", "misconfiguration", "breach"}},
	{"mfa-not-enforced", "MFA not enforced", "An account or application allowed sign-in without a second factor.", "multi-factor authentication that was not enforced", []string{"account-compromise", "phishing"}},
	{"phishable-mfa", "Phishable MFA factor", "The second factor (SMS, push, codes) could be relayed by a phishing proxy.", "a phishable second factor", []string{"phishing", "account-compromise"}},
	{"credential-stuffing", "Credential stuffing", "Passwords leaked elsewhere were replayed against our login.", "credential stuffing with passwords leaked elsewhere", []string{"account-compromise", "denial-of-service"}},
	{"malicious-attachment", "Malicious email attachment", "An attachment delivered malware past the mail filters.", "a malicious email attachment", []string{"malware", "phishing"}},
	{"vendor-compromise", "Compromised vendor", "A supplier's systems or software were compromised and used against us.", "a compromised vendor", []string{"breach", "malware", "intrusion"}},
	{"exposed-admin-interface", "Admin interface exposed to the internet", "A management interface was reachable from outside the private network.", "an admin interface exposed to the internet", []string{"intrusion", "vulnerability", "misconfiguration"}},
	{"stale-access", "Access not revoked", "Access stayed in place after a role change or departure.", "access that was never revoked", []string{"account-compromise", "breach", "data-leak"}},
	{"session-token-in-logs", "Session tokens in logs", "Session identifiers were written to logs readable by many people.", "session tokens written to logs", []string{"data-leak", "account-compromise"}},
	{"volumetric-ddos", "Volumetric DDoS", "A flood of traffic saturated links or front ends.", "a volumetric DDoS attack", []string{"denial-of-service"}},
	{"unreviewed-change", "Change merged without review", "A change reached production without a second pair of eyes.", "a change that reached production without review", []string{"outage", "misconfiguration", "vulnerability"}},
	{"missing-egress-filtering", "Missing egress filtering", "Hosts could open outbound connections to any destination.", "missing egress filtering", []string{"malware", "intrusion", "breach"}},
}

// system is one entry of the generated system vocabulary.
type system struct {
	slug, title, desc, owner string
}

var systems = []system{
	{"login-api", "Login API", "Password, SSO and MFA sign-in for customers.", "team-identity"},
	{"edge-proxy", "Edge proxy", "TLS termination and routing in front of every public service.", "team-edge"},
	{"payments-api", "Payments API", "Card and wallet payments, refunds and payouts.", "team-payments"},
	{"customer-db", "Customer database", "Primary PostgreSQL cluster for customer accounts.", "team-data"},
	{"checkout-service", "Checkout service", "Basket, pricing and order placement.", "team-commerce"},
	{"kubernetes-platform", "Kubernetes platform", "Shared clusters that run most production services.", "team-platform"},
	{"ci-pipeline", "CI pipeline", "Build, test and deploy pipelines.", "team-devex"},
	{"cloud-iam", "Cloud IAM", "Roles, users and policies of the cloud accounts.", "team-secops"},
	{"corporate-email", "Corporate email", "Employee mailboxes and mail filtering.", "team-it"},
	{"sso", "Single sign-on", "Workforce identity provider for internal applications.", "team-identity"},
	{"cdn", "CDN", "Content delivery network for static assets and downloads.", "team-edge"},
	{"order-service", "Order service", "Order lifecycle from placement to fulfilment.", "team-commerce"},
	{"search-service", "Search service", "Product and help-centre search.", "team-search"},
	{"redis-cache", "Redis cache", "Shared cache and session store.", "team-platform"},
	{"kafka-cluster", "Kafka cluster", "Event streaming backbone.", "team-data"},
	{"object-storage", "Object storage", "Buckets for uploads, exports and backups.", "team-platform"},
	{"dns", "DNS", "Authoritative zones and internal resolvers.", "team-edge"},
	{"load-balancer", "Load balancer", "Regional layer-4 and layer-7 load balancers.", "team-edge"},
	{"endpoint-fleet", "Endpoint fleet", "Employee laptops and their management agents.", "team-it"},
	{"source-control", "Source control", "Git hosting and code review.", "team-devex"},
	{"notification-service", "Notification service", "Email, SMS and push notifications to customers.", "team-growth"},
	{"mobile-app", "Mobile app", "iOS and Android customer applications.", "team-mobile"},
	{"web-frontend", "Web frontend", "Customer-facing web application.", "team-web"},
	{"admin-console", "Admin console", "Internal back-office tool for support and operations.", "team-support-tools"},
	{"public-api-gateway", "Public API gateway", "Authentication and quotas for partner and public APIs.", "team-edge"},
	{"billing-service", "Billing service", "Subscriptions, invoices and dunning.", "team-payments"},
	{"analytics-warehouse", "Analytics warehouse", "Columnar warehouse for reporting.", "team-data"},
	{"data-pipeline", "Data pipeline", "Batch and streaming jobs feeding the warehouse.", "team-data"},
	{"secrets-manager", "Secrets manager", "Storage and rotation of application secrets.", "team-secops"},
	{"vpn-gateway", "VPN gateway", "Remote access for employees and contractors.", "team-it"},
	{"support-desk", "Support desk", "Customer support ticketing.", "team-support-tools"},
	{"crm", "CRM", "Customer relationship management.", "team-growth"},
	{"artifact-registry", "Artifact registry", "Packages and build artifacts.", "team-devex"},
	{"container-registry", "Container registry", "Container images for every service.", "team-devex"},
	{"service-mesh", "Service mesh", "mTLS, retries and routing between services.", "team-platform"},
	{"observability-stack", "Observability stack", "Metrics, traces and dashboards.", "team-sre"},
	{"logging-pipeline", "Logging pipeline", "Log shipping, parsing and retention.", "team-sre"},
	{"siem", "SIEM", "Security event collection, correlation and detection rules.", "team-secops"},
	{"mdm", "MDM", "Mobile device management for the endpoint fleet.", "team-it"},
	{"wiki", "Wiki", "Internal documentation.", "team-it"},
	{"chat", "Chat", "Employee chat and incident channels.", "team-it"},
	{"file-sharing", "File sharing", "Shared drives and external sharing links.", "team-it"},
	{"hr-system", "HR system", "Employee records, on- and off-boarding.", "team-people-systems"},
	{"payroll", "Payroll", "Salary runs and tax filings.", "team-people-systems"},
	{"inventory-service", "Inventory service", "Stock levels and reservations.", "team-commerce"},
	{"recommendation-engine", "Recommendation engine", "Personalised product suggestions.", "team-search"},
	{"webhooks-service", "Webhooks service", "Outbound event delivery to partners.", "team-edge"},
	{"partner-api", "Partner API", "Integrations for resellers and marketplaces.", "team-growth"},
	{"feature-flags", "Feature flags", "Flag service and SDKs.", "team-devex"},
	{"status-page", "Status page", "Public service status and incident notices.", "team-sre"},
	{"certificate-authority", "Internal certificate authority", "Issues certificates for internal services.", "team-secops"},
	{"identity-directory", "Identity directory", "Directory of employees, groups and service accounts.", "team-identity"},
	{"backup-system", "Backup system", "Snapshots and off-site copies of databases and buckets.", "team-platform"},
	{"data-lake", "Data lake", "Raw event and export storage.", "team-data"},
	{"ml-platform", "ML platform", "Model training and serving.", "team-data"},
	{"sms-gateway", "SMS gateway", "Outbound SMS through two providers.", "team-growth"},
	{"email-gateway", "Transactional email gateway", "Outbound transactional email.", "team-growth"},
	{"invoicing", "Invoicing", "Invoice rendering and delivery.", "team-payments"},
	{"fraud-engine", "Fraud engine", "Risk scoring of sign-ups, logins and payments.", "team-payments"},
	{"build-farm", "Build farm", "Self-hosted build runners.", "team-devex"},
}

// teams own actions; their ticket prefixes make ticket keys.
var teams = []struct{ name, prefix string }{
	{"team-identity", "IDN"}, {"team-edge", "EDGE"}, {"team-payments", "PAY"}, {"team-data", "DATA"},
	{"team-commerce", "COM"}, {"team-platform", "PLAT"}, {"team-devex", "DEVEX"}, {"team-secops", "SEC"},
	{"team-it", "IT"}, {"team-search", "SRCH"}, {"team-growth", "GRO"}, {"team-mobile", "MOB"},
	{"team-web", "WEB"}, {"team-support-tools", "SUP"}, {"team-sre", "SRE"}, {"team-people-systems", "PPL"},
}

var authors = []string{
	"@abello", "@mkowalski", "@tnguyen", "@rdiaz", "@sokafor", "@lchen", "@jmartin", "@pshah",
	"@egarcia", "@hmueller", "@aiyer", "@bjohansson", "@cdupont", "@dmorales", "@fkhan", "@gbianchi",
	"@hsato", "@ikarlsson", "@jwalker", "@kmensah", "@lrossi", "@mfischer", "@nalvarez", "@oadeyemi",
	"@pwojcik", "@qzhang", "@rsilva", "@syamamoto", "@tpetrov", "@uandersen", "@vlopez", "@wkim",
}

// categoryWeights skews categories the way a mixed SRE and security team
// sees them: outages dominate.
var categoryWeights = []struct {
	name   string
	weight int
}{
	{"outage", 30}, {"misconfiguration", 14}, {"vulnerability", 10}, {"phishing", 9},
	{"account-compromise", 7}, {"denial-of-service", 6}, {"data-leak", 6}, {"malware", 5},
	{"intrusion", 4}, {"breach", 2}, {"other", 7},
}

// security reports whether a category is a security incident (it gets
// ATT&CK techniques and a contained time).
func security(cat string) bool {
	switch cat {
	case "outage", "misconfiguration", "other":
		return false
	}
	return true
}

// techniques are real MITRE ATT&CK ids per category.
var techniques = map[string][]string{
	"phishing":           {"T1566", "T1566.001", "T1566.002", "T1078", "T1557", "T1204.001"},
	"malware":            {"T1204.002", "T1486", "T1059.001", "T1105", "T1071.001", "T1562.001"},
	"intrusion":          {"T1190", "T1133", "T1021.001", "T1078", "T1059.004", "T1068"},
	"breach":             {"T1530", "T1567.002", "T1048", "T1078.004", "T1213"},
	"data-leak":          {"T1552.001", "T1530", "T1213", "T1567.002"},
	"account-compromise": {"T1110.003", "T1110.004", "T1078.004", "T1621", "T1539", "T1098"},
	"denial-of-service":  {"T1498", "T1498.001", "T1499.002", "T1499.003"},
	"vulnerability":      {"T1190", "T1203", "T1068", "T1212"},
}

// dataKinds per category (data_involved).
var dataKinds = map[string][]string{
	"phishing":           {"credentials", "employee-pii", "internal-docs"},
	"malware":            {"internal-docs", "credentials", "source-code"},
	"intrusion":          {"source-code", "credentials", "logs", "internal-docs"},
	"breach":             {"customer-pii", "payment-data", "credentials"},
	"data-leak":          {"customer-pii", "credentials", "session-tokens", "internal-docs", "employee-pii"},
	"account-compromise": {"customer-pii", "credentials", "session-tokens", "payment-data"},
	"vulnerability":      {"customer-pii", "internal-docs", "source-code"},
	"misconfiguration":   {"customer-pii", "logs", "internal-docs"},
}

var detections = []string{"internal-alert", "internal-alert", "internal-alert", "customer-report", "employee-report",
	"synthetic-monitor", "third-party", "audit", "threat-hunt"}

var symptoms = map[string][]string{
	"outage": {"elevated 5xx errors", "a login outage", "checkout failures", "slow page loads", "a partial outage",
		"failed deploys", "delayed notifications", "stale search results", "dropped webhooks", "a full outage",
		"timeouts for API clients", "duplicate charges", "missing orders", "a regional outage"},
	"misconfiguration": {"traffic routed to the wrong region", "alerts silently dropped", "internal pages open to all staff",
		"a broken deploy", "emails sent to the wrong recipients", "disabled audit logging"},
	"vulnerability": {"a remote code execution risk", "an authorisation bypass", "cross-tenant data access",
		"an account takeover risk", "a privilege escalation path"},
	"phishing": {"harvested staff credentials", "a mailbox takeover", "a fraudulent invoice attempt",
		"an MFA fatigue attack", "a spoofed payroll change"},
	"account-compromise": {"takeover of customer accounts", "unauthorised admin access", "a hijacked service account",
		"fraudulent orders from taken-over accounts"},
	"denial-of-service": {"degraded API availability", "a login outage", "saturated edge capacity", "a checkout slowdown"},
	"data-leak": {"customer records exposed", "internal documents shared publicly", "tokens exposed in logs",
		"an export visible to other tenants"},
	"malware":   {"an infected laptop", "encrypted file shares", "a cryptominer on build runners", "an infostealer on a workstation"},
	"intrusion": {"unauthorised access to a build server", "a web shell on an edge host", "lateral movement from a VPN account"},
	"breach":    {"exfiltration of customer data", "copied payment records", "stolen source archives"},
	"other":     {"a delayed payroll run", "a missed compliance report", "a lost on-call page", "a wrong tax rate"},
}
