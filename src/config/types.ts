// The typed, validated configuration: what `parseConfig` produces from ldirectord.cf text.
// Every value here is final: defaults and the per-virtual/global precedence of LDIRECTORD.md §1.7
// are already applied, so consumers (checks, scheduler, table) never look at globals themselves.

/** Where a directive came from, for messages that name file and line. */
export interface SourceRef {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
}

/** IP address family. */
export type Family = 4 | 6;

/** IPVS protocol of a virtual service. */
export type Protocol = "tcp" | "udp" | "fwm";

/** IPVS forwarding method: gate → -g (direct routing), masq → -m (NAT), ipip → -i (tunnel). */
export type Forward = "gate" | "masq" | "ipip";

/** A check type as configured; `combined` is `checktype=N` (one negotiate, then N connects, …). */
export type CheckType =
  | "connect"
  | "negotiate"
  | "combined"
  | "ping"
  | "external"
  | "external-perl"
  | "on"
  | "off";

/** Every `service=` value ldirectord accepts. */
export type Service =
  | "dns"
  | "ftp"
  | "http"
  | "https"
  | "http_proxy"
  | "imap"
  | "imaps"
  | "ldap"
  | "ldaps"
  | "nntp"
  | "mysql"
  | "none"
  | "oracle"
  | "pop"
  | "pops"
  | "radius"
  | "pgsql"
  | "sip"
  | "smtp"
  | "submission"
  | "simpletcp";

/** Daemon states an alert can be filtered on (`emailalertstatus`). */
export type DaemonStatus = "starting" | "running" | "stopping" | "reloading";

/** A real server of a virtual service (`real=` / `real6=`; a `->` range yields one per address). */
export interface RealServer {
  /** Canonical IP address, IPv6 without brackets and in compressed lower-case form. */
  readonly address: string;
  readonly family: Family;
  /** The configured port; 0 when the line gives none (ldirectord's meaning). */
  readonly port: number;
  /** The host name as written, when the line named a host rather than an address. */
  readonly hostname?: string;
  readonly forward: Forward;
  /** IPVS weight (0 allowed); default 1. */
  readonly weight: number;
  /** `u:N` → ipvsadm -x (upper connection threshold); 0 = none. */
  readonly upperThreshold: number;
  /** `l:N` → ipvsadm -y (lower connection threshold); 0 = none. */
  readonly lowerThreshold: number;
  /** Per-real `"request", "receive"` override (already defaulted from the virtual when absent). */
  readonly request: string;
  readonly receive: string;
  readonly source: SourceRef;
}

/** A fallback ("sorry") server, in the table with weight 1 exactly when no real server is healthy. */
export interface FallbackServer {
  readonly address: string;
  readonly family: Family;
  readonly port: number;
  readonly forward: Forward;
  readonly source: SourceRef;
}

/** SMTP relay for alerts (`smtp=host` or `smtp=host:port`, port default 25). */
export interface SmtpRelay {
  readonly host: string;
  readonly port: number;
}

/** E-mail alert settings, effective for one virtual (its own values, else the global ones). */
export interface AlertSettings {
  /** Recipients; empty = no mail. */
  readonly emailalert: readonly string[];
  /** Resend period in seconds for a server still down; 0 = never resend. */
  readonly emailalertfreq: number;
  /** Daemon states in which mail is sent; empty = none. */
  readonly emailalertstatus: readonly DaemonStatus[];
  /** SMTP relay; undefined = the local sendmail transport. */
  readonly smtp?: SmtpRelay;
  /** `From:` header text as written (may be `"Name" <a@b>`); undefined = user@hostname. */
  readonly emailalertfrom?: string;
}

/** One virtual service block, with every effective value resolved. */
export interface VirtualService {
  /**
   * Stable identity, also used in output: `tcp:10.0.0.1:80`, `udp:[2001:db8::1]:53`, `fwm:42`, `fwm6:42`.
   * TCP and UDP on the same address and port are distinct services.
   */
  readonly key: string;
  readonly protocol: Protocol;
  readonly family: Family;
  /** Virtual IP (absent for fwmark services). */
  readonly address?: string;
  /** Virtual port (0 for fwmark services). */
  readonly port: number;
  /** Firewall mark (fwmark services only). */
  readonly fwmark?: number;
  /** Host name as written on the `virtual=` line, when one was given. */
  readonly hostname?: string;
  readonly reals: readonly RealServer[];

  readonly checktype: CheckType;
  /** For `combined` (checktype=N): N connects between negotiates. */
  readonly numConnects: number;
  readonly service: Service;
  /** external / external-perl program (default /bin/true). */
  readonly checkcommand: string;
  /** Port used for checks instead of the real's port (undefined = real port, else the service's default). */
  readonly checkport?: number;
  readonly request: string;
  readonly receive: string;
  readonly httpmethod: "GET" | "HEAD";
  readonly virtualhost?: string;
  readonly login: string;
  readonly passwd: string;
  readonly database: string;
  readonly secret: string;

  readonly scheduler: string;
  readonly schedflags?: string;
  /** Persistence timeout in seconds (ipvsadm -p). */
  readonly persistent?: number;
  /** Persistence netmask (-M): dotted quad for IPv4, prefix length as a string for IPv6. Only used with persistent. */
  readonly netmask?: string;
  /** One-packet scheduling (-o); only meaningful for UDP. */
  readonly ops: boolean;

  /** Seconds; effective values per LDIRECTORD.md §1.7. */
  readonly checktimeout: number;
  readonly negotiatetimeout: number;
  readonly checkinterval: number;
  readonly checkcount: number;
  readonly failurecount: number;

  readonly quiescent: boolean;
  readonly cleanstop: boolean;
  readonly fallback?: FallbackServer;
  /** Program (and its arguments, split without a shell) run with start|stop VIP:PORT PROTO. */
  readonly fallbackcommand?: string;
  readonly alerts: AlertSettings;
  readonly monitorfile?: string;
  readonly servicename?: string;
  readonly comment?: string;
  readonly source: SourceRef;
}

/** Logging destination: a file path, or a syslog facility such as local0. */
export type LogTarget = { readonly kind: "file"; readonly path: string } | { readonly kind: "syslog"; readonly facility: string };

/** Global directives that are not folded into each virtual. */
export interface GlobalSettings {
  readonly autoreload: boolean;
  readonly callback?: string;
  readonly logfile: LogTarget;
  readonly execute: readonly string[];
  readonly fork: boolean;
  readonly supervised: boolean;
  readonly readdquiescent: boolean;
  readonly maintenancedir?: string;
  /** Global checkinterval (seconds); also each virtual's default. */
  readonly checkinterval: number;
  /** Global fallback servers per family, as written (a virtual gets a copy with its port when none is given: port 0 here). */
  readonly fallback?: FallbackServer;
  readonly fallback6?: FallbackServer;
  readonly fallbackcommand?: string;
  readonly alerts: AlertSettings;
}

/** A problem found in the configuration. Errors make the config unusable; warnings do not. */
export interface ConfigDiagnostic {
  readonly severity: "error" | "warning";
  /** Stable machine-readable code, e.g. `unknown-directive`, `bad-address`. */
  readonly code: string;
  readonly file: string;
  readonly line: number;
  /** Names the directive, the bad value and what was expected. */
  readonly message: string;
}

/** A fully parsed and validated configuration. */
export interface DirectorConfig {
  /** Absolute path of the file it was read from. */
  readonly file: string;
  /** Base name of the file (names the pid file, as ldirectord). */
  readonly name: string;
  readonly globals: GlobalSettings;
  /** Virtual services in file order. */
  readonly virtuals: readonly VirtualService[];
  readonly warnings: readonly ConfigDiagnostic[];
}
