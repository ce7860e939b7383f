// Validator: ConfigAst → DirectorConfig. Applies every value rule, ldirectord's defaults and the precedence of
// LDIRECTORD.md §1.7, resolves names, and reports every problem (it never stops at the first one).
import { statSync } from "node:fs";
import { hostname as osHostname } from "node:os";
import { basename, dirname } from "node:path";
import { canonicalIpv6, ipv4FromInt, isContiguousNetmask, parseIpv4 } from "./addresses.js";
import { ALL_STATUSES, parseEmailalert, parseEmailalertfreq, parseEmailalertstatus, parseSmtp } from "./alerts.js";
import type { ConfigAst, DirectiveNode, VirtualNode } from "./ast.js";
import { allowedInVirtual, directiveScope, nearest } from "./directives.js";
import type { Diagnostics } from "./diagnostics.js";
import { parseFallbackSpec, parseHostPort, parseRealSpec, type FallbackSpec, type HostToken, type RealSpec } from "./real-line.js";
import { perlToJs } from "./receive-regex.js";
import type { HostResolver } from "./resolve.js";
import { SERVICES, serviceForPort } from "./services.js";
import type {
  AlertSettings,
  CheckType,
  DaemonStatus,
  DirectorConfig,
  Family,
  FallbackServer,
  GlobalSettings,
  LogTarget,
  Protocol,
  RealServer,
  Service,
  SmtpRelay,
  VirtualService,
} from "./types.js";
import { integerValue, secondsValue, stringValue, warnGlobalComment, yesNoValue } from "./values.js";

/** What the validator needs from the outside world. */
export interface ValidateOptions {
  readonly resolveHost: HostResolver;
  readonly resolveService: (name: string, protocol: "tcp" | "udp") => number | undefined;
  /** `$HOSTNAME` for the ftp/sip login defaults. */
  readonly hostname?: string;
}

/** ipvsadm's schedulers. */
export const SCHEDULERS: readonly string[] = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"];
/** ipvsadm's --sched-flags. */
export const SCHED_FLAGS: readonly string[] = ["flag-1", "flag-2", "flag-3", "sh-fallback", "sh-port", "mh-fallback", "mh-port"];
/** checktype words (a number N means combined). */
export const CHECKTYPES: readonly string[] = ["connect", "negotiate", "ping", "external", "external-perl", "on", "off"];
/** Syslog facilities `logfile=` may name. */
export const SYSLOG_FACILITIES: readonly string[] = [
  "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
  "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
];
/** An absolute URL (`http://…`), which `request` keeps without a leading "/". */
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Largest `->` range we expand (one real per address). */
export const MAX_RANGE = 65536;

const NUMERIC = new Set(["checktimeout", "negotiatetimeout", "connecttimeout", "checkinterval", "checkcount", "failurecount", "emailalertfreq"]);
const QUOTED_GLOBAL = new Set(["logfile", "callback"]);
const MAX_SECONDS_INT = 2 ** 31 - 1;

interface Located<T> {
  readonly value: T;
  readonly line: number;
}

/** Global values as written (undefined = not set). */
interface GlobalDraft {
  checktimeout?: number;
  negotiatetimeout?: number;
  checkinterval?: number;
  checkcount?: number;
  failurecount?: number;
  fallback?: Located<FallbackSpec>;
  fallback6?: Located<FallbackSpec>;
  fallbackcommand?: string;
  autoreload?: boolean;
  callback?: string;
  logfile?: LogTarget;
  execute: string[];
  fork?: boolean;
  supervised?: boolean;
  quiescent?: boolean;
  readdquiescent?: boolean;
  emailalert?: string[];
  emailalertfreq?: number;
  emailalertstatus?: DaemonStatus[];
  emailalertfrom?: string;
  cleanstop?: boolean;
  smtp?: SmtpRelay;
  maintenancedir?: string;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function stripQuotes(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

/** Warn about a directive given twice in one scope (the last one wins, as in ldirectord). */
function trackDuplicates(nodes: readonly DirectiveNode[], diags: Diagnostics, where: string): void {
  const seen = new Map<string, number>();
  for (const n of nodes) {
    if (n.name === "real" || n.name === "real6" || n.name === "execute" || directiveScope(n.name) === undefined) continue;
    const before = seen.get(n.name);
    if (before !== undefined) {
      diags.warning("duplicate-directive", n.line, `${n.name}= is given again ${where} (first on line ${before}); this later value is used`);
    }
    seen.set(n.name, n.line);
  }
}

function parseLogfile(node: DirectiveNode, diags: Diagnostics): LogTarget | undefined {
  const text = stringValue(node, diags, "required");
  if (text === undefined) return undefined;
  if (text === "") {
    diags.error("bad-value", node.line, `logfile="": expected a file path starting with / or a syslog facility such as local0`);
    return undefined;
  }
  if (text.startsWith("/")) {
    if (!isDirectory(dirname(text))) {
      diags.warning("missing-directory", node.line, `logfile="${text}": directory ${dirname(text)} does not exist (ldirectord stops with "unable to open logfile"); create it before starting`);
    }
    return { kind: "file", path: text };
  }
  if (!SYSLOG_FACILITIES.includes(text)) {
    diags.warning(
      "bad-value",
      node.line,
      `logfile="${text}" is neither a path (starting with /) nor a syslog facility (${SYSLOG_FACILITIES.join(", ")}); logging to syslog facility daemon instead`,
    );
    return { kind: "syslog", facility: "daemon" };
  }
  return { kind: "syslog", facility: text };
}

function readGlobals(nodes: readonly DirectiveNode[], diags: Diagnostics): GlobalDraft {
  const g: GlobalDraft = { execute: [] };
  trackDuplicates(nodes, diags, "at global level");
  for (const n of nodes) {
    if (!NUMERIC.has(n.name) && !QUOTED_GLOBAL.has(n.name) && !["quiescent", "readdquiescent", "autoreload", "fork", "cleanstop", "supervised"].includes(n.name)) {
      warnGlobalComment(n, diags);
    }
    switch (n.name) {
      case "checktimeout":
      case "negotiatetimeout":
      case "checkinterval": {
        const v = secondsValue(n, diags);
        if (v !== undefined) g[n.name] = v;
        break;
      }
      case "connecttimeout":
      case "timeout":
        readDeprecatedTimeout(n, diags, g);
        break;
      case "checkcount":
      case "failurecount":
      case "fallbackcommand":
      case "emailalert":
      case "emailalertfreq":
      case "emailalertstatus":
      case "smtp":
        readSharedDirective(n, diags, g);
        break;
      case "fallback":
      case "fallback6": {
        const spec = readFallbackSpec(n, diags);
        if (spec !== undefined) g[n.name] = spec;
        break;
      }
      case "autoreload":
      case "fork":
      case "quiescent":
      case "readdquiescent":
      case "cleanstop": {
        const v = yesNoValue(n, diags, true);
        if (v !== undefined) g[n.name] = v;
        break;
      }
      case "supervised": {
        if (!n.hasEquals) {
          g.supervised = true;
          diags.warning("deprecated", n.line, "bare supervised: read as supervised=yes (ldirectord warns too); write supervised=yes");
        } else {
          const v = yesNoValue(n, diags, true);
          if (v !== undefined) g.supervised = v;
        }
        break;
      }
      case "callback": {
        const v = stringValue(n, diags, "required");
        if (v === "") diags.error("bad-value", n.line, 'callback="": expected the path of a program');
        else if (v !== undefined) g.callback = v;
        break;
      }
      case "logfile": {
        const v = parseLogfile(n, diags);
        if (v !== undefined) g.logfile = v;
        break;
      }
      case "execute": {
        if (n.value === "") diags.error("bad-value", n.line, "execute=: expected the name of another configuration file");
        else {
          const v = stripQuotes(n.value);
          if (v !== n.value) diags.warning("ldirectord-difference", n.line, `execute=${n.value}: the quotes are removed (ldirectord would keep them in the file name)`);
          g.execute.push(v);
        }
        break;
      }
      case "emailalertfrom":
        if (n.value === "") diags.error("bad-value", n.line, 'emailalertfrom=: expected a sender such as "Director" <lvs@example.com>');
        else g.emailalertfrom = n.value;
        break;
      case "maintenancedir": {
        if (n.value === "") {
          diags.error("bad-value", n.line, "maintenancedir=: expected a directory");
          break;
        }
        const v = stripQuotes(n.value);
        if (v !== n.value) diags.warning("ldirectord-difference", n.line, `maintenancedir=${n.value}: the quotes are removed (ldirectord would keep them in the path)`);
        if (!isDirectory(v)) diags.warning("missing-directory", n.line, `maintenancedir=${v}: not a directory (yet); no real server is in maintenance until it exists`);
        g.maintenancedir = v;
        break;
      }
      default:
        // Unknown or virtual-only names were reported by the parser.
        break;
    }
  }
  return g;
}

/** The values both the global level and a virtual section take, with the same syntax and meaning. */
type SharedDraft = Pick<GlobalDraft, "checkcount" | "failurecount" | "fallbackcommand" | "emailalert" | "emailalertfreq" | "emailalertstatus" | "smtp">;

/** checkcount=, failurecount=, fallbackcommand=, emailalert*= (but emailalertfrom=) and smtp=, at either level. */
function readSharedDirective(n: DirectiveNode, diags: Diagnostics, into: SharedDraft): void {
  switch (n.name) {
    case "checkcount":
    case "failurecount": {
      const v = integerValue(n, diags, { min: 1, max: MAX_SECONDS_INT });
      if (v !== undefined) into[n.name] = v;
      if (n.name === "checkcount") diags.warning("deprecated", n.line, "checkcount= is deprecated (ldirectord says so too); it only sets the number of ping attempts; see failurecount=");
      break;
    }
    case "fallbackcommand": {
      const v = stringValue(n, diags, "optional");
      if (v === "") diags.error("bad-value", n.line, "fallbackcommand=: expected a command");
      else if (v !== undefined) into.fallbackcommand = v;
      break;
    }
    case "emailalert": {
      const v = parseEmailalert(n, diags);
      if (v !== undefined) into.emailalert = v;
      break;
    }
    case "emailalertfreq": {
      const v = parseEmailalertfreq(n, diags);
      if (v !== undefined) into.emailalertfreq = v;
      break;
    }
    case "emailalertstatus": {
      const v = parseEmailalertstatus(n, diags);
      if (v !== undefined) into.emailalertstatus = v;
      break;
    }
    case "smtp": {
      const v = parseSmtp(n, diags);
      if (v !== undefined) into.smtp = v;
      break;
    }
    default:
      break;
  }
}

/** fallback=/fallback6= at either level: the server and forwarding method, or an error naming what is wrong. */
function readFallbackSpec(n: DirectiveNode, diags: Diagnostics): Located<FallbackSpec> | undefined {
  const spec = parseFallbackSpec(n.value);
  if (spec.ok) return { value: spec.value, line: n.line };
  diags.error(/forwarding/.test(spec.reason) ? "bad-forward" : "bad-address", n.line, `${n.name}=${n.value}: ${spec.reason}`);
  return undefined;
}

/** connecttimeout=/timeout=: fatal in ldirectord 4.x; accepted here with a warning naming the replacement. */
function readDeprecatedTimeout(n: DirectiveNode, diags: Diagnostics, target: { negotiatetimeout?: number; checktimeout?: number }): void {
  const v = secondsValue(n, diags);
  if (n.name === "connecttimeout") {
    diags.warning("deprecated", n.line, "connecttimeout= is deprecated in favour of negotiatetimeout= (ldirectord 4.x rejects it); its value is used as negotiatetimeout unless that is set");
    if (v !== undefined) target.negotiatetimeout ??= v;
  } else {
    diags.warning("deprecated", n.line, "timeout= is deprecated in favour of checktimeout= and negotiatetimeout= (ldirectord 4.x rejects it); its value is used for both unless they are set");
    if (v !== undefined) {
      target.checktimeout ??= v;
      target.negotiatetimeout ??= v;
    }
  }
}

/** The virtual= line, parsed. */
type VirtualHead =
  | { readonly kind: "address"; readonly host: HostToken; readonly portToken: string }
  | { readonly kind: "fwmark"; readonly mark: number };

function parseVirtualHead(node: DirectiveNode, family: Family, diags: Diagnostics): VirtualHead | undefined {
  const tokens = node.value.split(/\s+/).filter((t) => t !== "");
  const token = tokens[0] ?? "";
  const name = node.name;
  if (tokens.length > 1) {
    diags.warning("trailing-text", node.line, `${name}=: text after the address is ignored (as ldirectord ignores it): "${tokens.slice(1).join(" ")}"; use # for comments`);
  }
  if (token === "") {
    diags.error("bad-address", node.line, `${name}=: missing address; expected ADDRESS:PORT, HOST:SERVICE or a firewall mark number`);
    return undefined;
  }
  if (/^\d+$/.test(token)) {
    const mark = Number(token);
    if (mark < 1 || mark > 4294967295) {
      diags.error("bad-number", node.line, `${name}=${token}: a firewall mark must be from 1 to 4294967295`);
      return undefined;
    }
    return { kind: "fwmark", mark };
  }
  if (/^[\d.]+$/.test(token) || (family === 6 && token.startsWith("[") && token.endsWith("]"))) {
    diags.error(
      "bad-address",
      node.line,
      `${name}=${token}: missing port; write ${token}:PORT (e.g. ${token}:80), or a firewall mark number${/^\d+\./.test(token) ? ` (ldirectord would silently read this as firewall mark ${/^\d+/.exec(token)?.[0] ?? ""})` : ""}`,
    );
    return undefined;
  }
  const hp = parseHostPort(token, false);
  if (!hp.ok) {
    diags.error("bad-address", node.line, `${name}=${token}: ${hp.reason}`);
    return undefined;
  }
  if (hp.value.port === undefined) {
    diags.error("bad-address", node.line, `${name}=${token}: missing port; write ${token}:PORT`);
    return undefined;
  }
  if (hp.value.host.kind === "ipv6" && family === 4) {
    diags.error("wrong-family", node.line, `virtual=${token}: an IPv6 address needs virtual6=${token}`);
    return undefined;
  }
  if (hp.value.host.kind === "ipv4" && family === 6) {
    diags.error("wrong-family", node.line, `virtual6=${token}: an IPv4 address needs virtual=${token}`);
    return undefined;
  }
  return { kind: "address", host: hp.value.host, portToken: hp.value.port };
}

/** Resolve a host token to a canonical address of the family, reporting problems with the directive's name. */
function resolveHostToken(
  token: HostToken,
  family: Family,
  what: string,
  line: number,
  diags: Diagnostics,
  resolveHost: HostResolver,
): string | undefined | Promise<string | undefined> {
  // Literals are answered synchronously: no promise per real server in a 10,000-real file.
  if (token.kind === "name") return resolveHostName(token, family, what, line, diags, resolveHost);
  if (token.kind === "ipv4") {
    if (family === 6) {
      diags.error("wrong-family", line, `${what}: ${token.text} is an IPv4 address in an IPv6 context; use the IPv4 directive (virtual=/real=/fallback=)`);
      return undefined;
    }
    const p = parseIpv4(token.text);
    if (!p.ok) {
      diags.error("bad-address", line, `${what}: "${token.text}" is not a valid IPv4 address: ${p.reason}`);
      return undefined;
    }
    return p.address;
  }
  if (token.kind === "ipv6") {
    if (family === 4) {
      diags.error("wrong-family", line, `${what}: [${token.text}] is an IPv6 address in an IPv4 context; use virtual6=/real6=/fallback6=`);
      return undefined;
    }
    const c = canonicalIpv6(token.text);
    if (c === undefined) diags.error("bad-address", line, `${what}: "[${token.text}]" is not a valid IPv6 address`);
    return c;
  }
  return undefined;
}

async function resolveHostName(
  token: HostToken,
  family: Family,
  what: string,
  line: number,
  diags: Diagnostics,
  resolveHost: HostResolver,
): Promise<string | undefined> {
  const found = await resolveHost(token.text, family);
  const c = found === undefined ? undefined : family === 6 ? canonicalIpv6(found) : parseIpv4(found).ok ? found : undefined;
  if (c === undefined) {
    diags.error("unresolved-host", line, `${what}: cannot resolve host name "${token.text}" to an IPv${family} address`);
  }
  return c;
}

/** A port token (number or service name) for a protocol; fwmark services try tcp then udp. */
function resolvePort(
  token: string,
  protocol: Protocol,
  what: string,
  line: number,
  diags: Diagnostics,
  opts: ValidateOptions,
  min: number,
): number | undefined {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    if (n < min || n > 65535) {
      diags.error("bad-port", line, `${what}: port ${token} is out of range; expected ${min}..65535`);
      return undefined;
    }
    return n;
  }
  const protocols: Array<"tcp" | "udp"> = protocol === "fwm" ? ["tcp", "udp"] : [protocol];
  for (const p of protocols) {
    const n = opts.resolveService(token, p);
    if (n !== undefined) return n;
  }
  diags.error("bad-port", line, `${what}: unknown service name "${token}" for ${protocols.join("/")} (not in /etc/services); write a port number`);
  return undefined;
}

/** Per-virtual directive values as written. */
interface VirtualDraft {
  reals: Array<Located<RealSpec>>;
  request?: string;
  receive?: string;
  checktype?: CheckType;
  numConnects: number;
  checkcommand?: string;
  checktimeout?: number;
  negotiatetimeout?: number;
  checkinterval?: Located<number>;
  checkcount?: number;
  failurecount?: number;
  checkport?: Located<number>;
  login?: string;
  passwd?: string;
  database?: string;
  secret?: string;
  scheduler?: string;
  persistent?: number;
  netmask?: Located<string>;
  schedflags?: string;
  protocol?: Located<Protocol>;
  ops?: Located<boolean>;
  service?: Located<Service>;
  httpmethod?: "GET" | "HEAD";
  virtualhost?: string;
  fallback?: Located<FallbackSpec>;
  fallbackcommand?: string;
  quiescent?: boolean;
  cleanstop?: boolean;
  emailalert?: string[];
  emailalertfreq?: number;
  emailalertstatus?: DaemonStatus[];
  smtp?: SmtpRelay;
  monitorfile?: string;
  servicename?: string;
  comment?: string;
  receiveLine?: number;
  checktypeLine?: number;
  virtualhostLine?: number;
}

function readVirtualBody(v: VirtualNode, family: Family, isFwmark: boolean, diags: Diagnostics): VirtualDraft {
  const d: VirtualDraft = { reals: [], numConnects: 0 };
  trackDuplicates(v.body, diags, `in the virtual section of line ${v.head.line}`);
  for (const n of v.body) {
    if (!allowedInVirtual(n.name)) continue; // reported by the parser
    switch (n.name) {
      case "real":
      case "real6": {
        if ((n.name === "real6") !== (family === 6)) {
          diags.error("wrong-family", n.line, `${n.name}= is not allowed in a ${family === 6 ? "virtual6" : "virtual"}= section; use ${family === 6 ? "real6" : "real"}=`);
          break;
        }
        const spec = parseRealSpec(n.value);
        if (!spec.ok) {
          const code = /forwarding method/.test(spec.reason) ? "bad-forward" : /weight/.test(spec.reason) ? "bad-number" : /unexpected/.test(spec.reason) ? "syntax" : "bad-address";
          diags.error(code, n.line, `${n.name}=${n.value}: ${spec.reason}`);
          break;
        }
        if (spec.value.ipvsadmWeight) {
          diags.warning("ldirectord-difference", n.line, `${n.name}=: "-w ${spec.value.weight}" read as weight ${spec.value.weight} (ipvsadm syntax; ldirectord rejects it: write "${spec.value.forward} ${spec.value.weight}")`);
        }
        d.reals.push({ value: spec.value, line: n.line });
        break;
      }
      case "request": {
        const s = stringValue(n, diags, "required");
        if (s === "") diags.error("bad-value", n.line, 'request="": expected a non-empty request (remove the line for the default "/")');
        // ldirectord adds a leading "/" and strips it again when it builds a URL; an absolute URL (http_proxy) stays as is.
        else if (s !== undefined) d.request = s.startsWith("/") || ABSOLUTE_URL.test(s) ? s : `/${s}`;
        break;
      }
      case "receive": {
        const s = stringValue(n, diags, "required");
        if (s === "") diags.error("bad-value", n.line, 'receive="": expected a non-empty regular expression (remove the line to accept any answer)');
        else if (s !== undefined) {
          const r = perlToJs(s);
          if (!r.ok) diags.error("bad-regex", n.line, `receive="${s}": not a usable regular expression: ${r.reason}`);
          else {
            d.receive = r.source;
            d.receiveLine = n.line;
          }
        }
        break;
      }
      case "checktype": {
        const t = n.value;
        d.checktypeLine = n.line;
        if (/^\d+$/.test(t)) {
          d.checktype = "combined";
          d.numConnects = Number(t);
        } else if (CHECKTYPES.includes(t)) {
          d.checktype = t as CheckType;
        } else if (/\d/.test(t) && !/^-/.test(t)) {
          const num = Number(/\d+/.exec(t)?.[0] ?? "0");
          diags.warning("lenient-number", n.line, `checktype=${t}: read as checktype=${num} (combined: one negotiate check, then ${num} connect checks), as ldirectord reads it; write checktype=${num}`);
          d.checktype = "combined";
          d.numConnects = num;
        } else {
          const guess = nearest(t, CHECKTYPES);
          diags.error("unknown-checktype", n.line, `checktype=${t}: unknown check type; expected ${CHECKTYPES.join(", ")} or a number N${guess !== undefined ? ` (did you mean ${guess}?)` : ""}`);
        }
        break;
      }
      case "checkcommand": {
        const s = stringValue(n, diags, "optional");
        if (s === "") diags.error("bad-value", n.line, "checkcommand=: expected the path of a program");
        else if (s !== undefined) d.checkcommand = s;
        break;
      }
      case "checktimeout":
      case "negotiatetimeout": {
        const s = secondsValue(n, diags);
        if (s !== undefined) d[n.name] = s;
        break;
      }
      case "connecttimeout":
        readDeprecatedTimeout(n, diags, d);
        break;
      case "checkinterval": {
        const s = secondsValue(n, diags);
        if (s !== undefined) d.checkinterval = { value: s, line: n.line };
        break;
      }
      case "checkcount":
      case "failurecount":
      case "fallbackcommand":
      case "emailalert":
      case "emailalertfreq":
      case "emailalertstatus":
      case "smtp":
        readSharedDirective(n, diags, d);
        break;
      case "checkport": {
        const s = integerValue(n, diags, { min: 1, max: 65535, what: "a port" });
        if (s !== undefined) d.checkport = { value: s, line: n.line };
        break;
      }
      case "login":
      case "passwd":
      case "database":
      case "secret": {
        const s = stringValue(n, diags, "required");
        if (s !== undefined) d[n.name] = s;
        break;
      }
      case "load":
        // Parsed and never used, as in ldirectord.
        stringValue(n, diags, "required");
        break;
      case "scheduler": {
        if (SCHEDULERS.includes(n.value)) d.scheduler = n.value;
        else {
          const guess = nearest(n.value, SCHEDULERS);
          diags.error("unknown-scheduler", n.line, `scheduler=${n.value}: unknown scheduler; expected one of ${SCHEDULERS.join(" ")}${guess !== undefined ? ` (did you mean ${guess}?)` : ""}`);
        }
        break;
      }
      case "persistent": {
        if (n.value === "0") {
          diags.error("bad-number", n.line, "persistent=0: ipvsadm rejects a persistence timeout of 0; remove the line for no persistence");
          break;
        }
        const s = integerValue(n, diags, { min: 1, max: MAX_SECONDS_INT, what: "a number of seconds" });
        if (s !== undefined) d.persistent = s;
        break;
      }
      case "netmask": {
        if (family === 6) {
          const s = integerValue(n, diags, { min: 1, max: 128, what: "an IPv6 prefix length" });
          if (s !== undefined) d.netmask = { value: String(s), line: n.line };
        } else if (isContiguousNetmask(n.value)) {
          d.netmask = { value: n.value, line: n.line };
        } else {
          diags.error("bad-value", n.line, `netmask=${n.value}: expected a dotted-quad netmask such as 255.255.255.0`);
        }
        break;
      }
      case "schedflags": {
        const flags = n.value.split(",").map((f) => f.trim());
        const bad = flags.filter((f) => !SCHED_FLAGS.includes(f));
        if (n.value === "" || bad.length > 0) {
          diags.error("bad-value", n.line, `schedflags=${n.value}: unknown flag ${bad.map((b) => `"${b}"`).join(", ")}; expected a comma list of ${SCHED_FLAGS.join(", ")}`);
        } else d.schedflags = flags.join(",");
        break;
      }
      case "protocol": {
        const p = n.value;
        if (p !== "tcp" && p !== "udp" && p !== "fwm") {
          diags.error("bad-value", n.line, `protocol=${p}: expected ${isFwmark ? "fwm" : "tcp or udp"}`);
        } else if (isFwmark && p !== "fwm") {
          diags.error("conflict", n.line, `protocol=${p}: a firewall-mark virtual service (virtual=${v.head.value.split(/\s/)[0] ?? ""}) needs protocol=fwm or no protocol line`);
        } else if (!isFwmark && p === "fwm") {
          diags.error("conflict", n.line, "protocol=fwm: this virtual service is an address and port; protocol must be tcp or udp (use virtual=MARK for a firewall mark)");
        } else d.protocol = { value: p, line: n.line };
        break;
      }
      case "ops": {
        const s = yesNoValue(n, diags, false);
        if (s !== undefined) d.ops = { value: s, line: n.line };
        break;
      }
      case "service": {
        if ((SERVICES as readonly string[]).includes(n.value)) d.service = { value: n.value as Service, line: n.line };
        else {
          const guess = nearest(n.value, SERVICES);
          diags.error("unknown-service", n.line, `service=${n.value}: unknown service; expected one of ${SERVICES.join(", ")}${guess !== undefined ? ` (did you mean ${guess}?)` : ""}`);
        }
        break;
      }
      case "httpmethod": {
        const m = n.value.toUpperCase();
        if (m === "GET" || m === "HEAD") d.httpmethod = m;
        else diags.error("bad-value", n.line, `httpmethod=${n.value}: expected GET or HEAD`);
        break;
      }
      case "virtualhost": {
        const s = stringValue(n, diags, "optional");
        if (s === "" || (s !== undefined && /\s/.test(s))) diags.error("bad-value", n.line, `virtualhost=${n.value}: expected a host name for the Host: header`);
        else if (s !== undefined) {
          d.virtualhost = s;
          d.virtualhostLine = n.line;
        }
        break;
      }
      case "fallback":
      case "fallback6": {
        if ((n.name === "fallback6") !== (family === 6)) {
          diags.error("wrong-family", n.line, `${n.name}= is not allowed in a ${family === 6 ? "virtual6" : "virtual"}= section; use ${family === 6 ? "fallback6" : "fallback"}=`);
          break;
        }
        const spec = readFallbackSpec(n, diags);
        if (spec !== undefined) d.fallback = spec;
        break;
      }
      case "quiescent":
      case "cleanstop": {
        const s = yesNoValue(n, diags, false);
        if (s !== undefined) d[n.name] = s;
        break;
      }
      case "monitorfile": {
        const s = stringValue(n, diags, "optional");
        if (s === "") diags.error("bad-value", n.line, "monitorfile=: expected a file path");
        else if (s !== undefined) {
          if (!isDirectory(dirname(s))) diags.warning("missing-directory", n.line, `monitorfile=${s}: directory ${dirname(s)} does not exist (ldirectord stops with "unable to open monitorfile")`);
          d.monitorfile = s;
        }
        break;
      }
      case "servicename":
      case "comment":
        d[n.name] = n.value;
        break;
      default:
        break;
    }
  }
  return d;
}

function serverOf(address: string, family: Family, port: number): string {
  return family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Turn one section into a VirtualService (undefined when it has errors that leave it without an identity). */
async function buildVirtual(
  v: VirtualNode,
  g: GlobalDraft,
  globalFallbacks: { fallback?: FallbackServer; fallback6?: FallbackServer },
  diags: Diagnostics,
  opts: ValidateOptions,
): Promise<VirtualService | undefined> {
  const family: Family = v.head.name === "virtual6" ? 6 : 4;
  const head = parseVirtualHead(v.head, family, diags);
  const isFwmark = head?.kind === "fwmark";
  const d = readVirtualBody(v, family, isFwmark, diags);

  // A section whose virtual= line is wrong is still checked to the end, so every problem is reported at once.
  let broken = head === undefined;
  let protocol: Protocol = isFwmark ? "fwm" : (d.protocol?.value ?? "tcp");
  let address: string | undefined;
  let port = 0;
  if (head?.kind === "address") {
    // ldirectord's rule: UDP when the port is written as 53 or "domain", unless protocol= says otherwise.
    protocol = d.protocol?.value ?? (head.portToken === "53" || head.portToken === "domain" ? "udp" : "tcp");
    address = await resolveHostToken(head.host, family, `${v.head.name}=${v.head.value.split(/\s/)[0] ?? ""}`, v.head.line, diags, opts.resolveHost);
    const p = resolvePort(head.portToken, protocol, `${v.head.name}=${head.portToken}`, v.head.line, diags, opts, 0);
    if (p === undefined || address === undefined) broken = true;
    else {
      port = p;
      if (port === 0 && d.persistent === undefined) {
        diags.error("conflict", v.head.line, `${v.head.name}=: port 0 (all ports) needs persistent= in the section (ipvsadm requires it)`);
      }
    }
  }

  const service: Service = d.service?.value ?? (isFwmark ? "none" : serviceForPort(port));
  const checktype: CheckType = d.checktype ?? "negotiate";
  // Looked up only when needed: os.hostname() is a system call, and a file may have 50,000 sections.
  const hostName = (): string => opts.hostname ?? process.env.HOSTNAME ?? osHostname();
  let login = d.login ?? "";
  let passwd = d.passwd ?? "";
  // ldirectord sets these only when service= is written (a port-derived service gets no defaults).
  if (d.service?.value === "ftp") {
    if (login === "") login = "anonymous";
    if (passwd === "") passwd = `ldirectord@${hostName()}`;
  } else if (d.service?.value === "sip" && login === "") login = `ldirectord@${hostName()}`;

  const request = d.request ?? "/";
  const receive = d.receive ?? "";
  const reals: RealServer[] = [];
  const seenReals = new Map<string, number>();
  for (const { value: r, line } of d.reals) {
    const what = `${family === 6 ? "real6" : "real"}=${r.host.kind === "ipv6" ? `[${r.host.text}]` : r.host.text}`;
    const firstR = resolveHostToken(r.host, family, what, line, diags, opts.resolveHost);
    const first = firstR instanceof Promise ? await firstR : firstR;
    let addresses: string[] = [];
    if (first !== undefined) addresses = [first];
    if (r.rangeEnd !== undefined) {
      if (family === 6 || r.host.kind === "ipv6" || r.rangeEnd.kind === "ipv6") {
        diags.error("bad-address", line, `${what}: address ranges (->) are not supported for IPv6`);
        continue;
      }
      const last = await resolveHostToken(r.rangeEnd, family, `${what}->${r.rangeEnd.text}`, line, diags, opts.resolveHost);
      if (first === undefined || last === undefined) continue;
      const a = parseIpv4(first);
      const b = parseIpv4(last);
      if (!a.ok || !b.ok) continue;
      if (b.value < a.value) {
        diags.error("bad-address", line, `${what}->${r.rangeEnd.text}: the range end ${last} is below its start ${first}`);
        continue;
      }
      if (b.value - a.value + 1 > MAX_RANGE) {
        diags.error("bad-address", line, `${what}->${r.rangeEnd.text}: ${b.value - a.value + 1} addresses; at most ${MAX_RANGE} are allowed in one range`);
        continue;
      }
      addresses = [];
      for (let i = a.value; i <= b.value; i++) addresses.push(ipv4FromInt(i));
    }
    if (addresses.length === 0) continue;
    let rport = 0;
    if (r.port !== undefined) {
      // ldirectord looks a real's service name up for any protocol (getservbyname(name, "")): own protocol first.
      const p = /^\d+$/.test(r.port) || protocol === "fwm" ? resolvePort(r.port, protocol, `${what}:${r.port}`, line, diags, opts, 0)
        : (opts.resolveService(r.port, protocol) ?? resolvePort(r.port, "fwm", `${what}:${r.port}`, line, diags, opts, 0));
      if (p === undefined) continue;
      rport = p;
    }
    let rRequest = request;
    let rReceive = receive;
    if (r.request !== undefined && r.receive !== undefined) {
      if (r.request === "") {
        diags.error("bad-value", line, `${what}: the per-real request "" is empty`);
        continue;
      }
      // Fixes ldirectord bug B: a request starting with "/" keeps its receive string and thresholds.
      rRequest = r.request.startsWith("/") || ABSOLUTE_URL.test(r.request) ? r.request : `/${r.request}`;
      const conv = perlToJs(r.receive);
      if (!conv.ok) {
        diags.error("bad-regex", line, `${what}: per-real receive "${r.receive}" is not a usable regular expression: ${conv.reason}`);
        continue;
      }
      rReceive = conv.source;
    }
    for (const addr of addresses) {
      const k = serverOf(addr, family, rport);
      const before = seenReals.get(k);
      if (before !== undefined) {
        diags.error("duplicate-real", line, `${what}: real server ${k} is already in this virtual section (line ${before})`);
        continue;
      }
      seenReals.set(k, line);
      reals.push({
        address: addr,
        family,
        port: rport,
        ...(r.host.kind === "name" && r.rangeEnd === undefined ? { hostname: r.host.text } : {}),
        forward: r.forward,
        weight: r.weight,
        upperThreshold: r.upper,
        lowerThreshold: r.lower,
        request: rRequest,
        receive: rReceive,
        source: { file: diags.file, line },
      });
    }
  }

  // Fallback: the section's own, else the global one of the same family (port: as written, else the virtual's).
  let fallback: FallbackServer | undefined;
  if (d.fallback !== undefined) {
    const f = d.fallback;
    const what = `${family === 6 ? "fallback6" : "fallback"}=${f.value.host.text}`;
    const addr = await resolveHostToken(f.value.host, family, what, f.line, diags, opts.resolveHost);
    const fport = f.value.port !== undefined ? resolvePort(f.value.port, protocol, `${what}:${f.value.port}`, f.line, diags, opts, 0) : port;
    if (addr !== undefined && fport !== undefined) {
      fallback = { address: addr, family, port: fport, forward: f.value.forward, source: { file: diags.file, line: f.line } };
    }
  } else {
    const gf = family === 6 ? globalFallbacks.fallback6 : globalFallbacks.fallback;
    const spec = family === 6 ? g.fallback6 : g.fallback;
    if (gf !== undefined && spec !== undefined) {
      let fport = port;
      if (spec.value.port !== undefined) {
        fport = resolvePort(spec.value.port, protocol, `fallback=${spec.value.host.text}:${spec.value.port}`, spec.line, diags, opts, 0) ?? port;
      }
      fallback = { ...gf, port: fport };
    }
  }

  // §1.7 precedence.
  const checktimeout = d.checktimeout ?? d.negotiatetimeout ?? g.checktimeout ?? g.negotiatetimeout ?? 5;
  const negotiatetimeout = d.negotiatetimeout ?? d.checktimeout ?? g.negotiatetimeout ?? g.checktimeout ?? 30;
  const checkinterval = d.checkinterval?.value ?? g.checkinterval ?? 10;
  if (d.checkinterval !== undefined && g.fork !== true) {
    diags.warning(
      "ldirectord-difference",
      d.checkinterval.line,
      `checkinterval=${d.checkinterval.value} in a virtual section: ldirectord ignores it unless fork=yes; ldirectord-ts honours it`,
    );
  }

  const alerts: AlertSettings = {
    emailalert: d.emailalert ?? g.emailalert ?? [],
    emailalertfreq: d.emailalertfreq ?? g.emailalertfreq ?? 0,
    emailalertstatus: d.emailalertstatus ?? g.emailalertstatus ?? [...ALL_STATUSES],
    ...((d.smtp ?? g.smtp) !== undefined ? { smtp: (d.smtp ?? g.smtp) as SmtpRelay } : {}),
    ...(g.emailalertfrom !== undefined ? { emailalertfrom: g.emailalertfrom } : {}),
  };

  // Warnings for legal but probably wrong settings.
  if (!v.body.some((n) => n.name === "real" || n.name === "real6")) {
    diags.warning("no-reals", v.head.line, `${v.head.name}=${v.head.value.split(/\s/)[0] ?? ""} has no real servers${fallback !== undefined ? " (only the fallback server will be used)" : ""}`);
  }
  if (d.checkport !== undefined && (checktype === "off" || checktype === "on")) {
    diags.warning("ignored-option", d.checkport.line, `checkport=${d.checkport.value} has no effect with checktype=${checktype} (no check is run)`);
  }
  if (service === "oracle" && (checktype === "negotiate" || checktype === "combined")) {
    diags.warning(
      "unsupported-check",
      d.service?.line ?? v.head.line,
      `service=oracle${d.service === undefined ? " (derived from port 1521)" : ""}: ldirectord-ts has no Oracle check; every negotiate check of this service will report "unsupported" (use checktype=connect or external)`,
    );
  }
  const ops = d.ops?.value ?? false;
  if (d.ops?.value === true && protocol !== "udp") {
    diags.warning("ignored-option", d.ops.line, `ops=yes only applies to UDP services; ignored for ${protocol} (as ldirectord does)`);
  }
  let netmask: string | undefined;
  if (d.netmask !== undefined) {
    if (d.persistent === undefined) {
      diags.warning("ignored-option", d.netmask.line, `netmask=${d.netmask.value} is only used together with persistent=; ignored (as ldirectord does)`);
    } else netmask = d.netmask.value;
  }
  const httpmethod = d.httpmethod ?? "GET";
  if (httpmethod === "HEAD" && d.receive !== undefined && (service === "http" || service === "https" || service === "http_proxy")) {
    diags.error("conflict", d.receiveLine ?? v.head.line, "receive= cannot match with httpmethod=HEAD: a HEAD response has no body; remove receive= or use httpmethod=GET");
  }
  if ((checktype === "external" || checktype === "external-perl") && d.checkcommand === undefined) {
    diags.warning("ignored-option", d.checktypeLine ?? v.head.line, `checktype=${checktype} without checkcommand=: the default /bin/true always reports the real servers up`);
  }
  if (d.virtualhost !== undefined && service !== "http" && service !== "https") {
    diags.warning("ignored-option", d.virtualhostLine ?? v.head.line, `virtualhost= is only used by http and https checks; ignored for service=${service}`);
  }

  if (broken || head === undefined) return undefined;
  const key =
    head.kind === "fwmark" ? `${family === 6 ? "fwm6" : "fwm"}:${head.mark}` : `${protocol}:${family === 6 ? `[${address ?? ""}]` : address ?? ""}:${port}`;
  return {
    key,
    protocol,
    family,
    ...(address !== undefined ? { address } : {}),
    port,
    ...(head.kind === "fwmark" ? { fwmark: head.mark } : {}),
    ...(head.kind === "address" && head.host.kind === "name" ? { hostname: head.host.text } : {}),
    reals,
    checktype,
    numConnects: d.numConnects,
    service,
    checkcommand: d.checkcommand ?? "/bin/true",
    ...(d.checkport !== undefined ? { checkport: d.checkport.value } : {}),
    request,
    receive,
    httpmethod,
    ...(d.virtualhost !== undefined ? { virtualhost: d.virtualhost } : {}),
    login,
    passwd,
    database: d.database ?? "",
    secret: d.secret ?? "",
    scheduler: d.scheduler ?? "wrr",
    ...(d.schedflags !== undefined ? { schedflags: d.schedflags } : {}),
    ...(d.persistent !== undefined ? { persistent: d.persistent } : {}),
    ...(netmask !== undefined ? { netmask } : {}),
    ops: ops && protocol === "udp",
    checktimeout,
    negotiatetimeout,
    checkinterval,
    checkcount: d.checkcount ?? g.checkcount ?? 1,
    failurecount: d.failurecount ?? g.failurecount ?? 1,
    quiescent: d.quiescent ?? g.quiescent ?? false,
    cleanstop: d.cleanstop ?? g.cleanstop ?? true,
    ...(fallback !== undefined ? { fallback } : {}),
    ...((d.fallbackcommand ?? g.fallbackcommand) !== undefined ? { fallbackcommand: (d.fallbackcommand ?? g.fallbackcommand) as string } : {}),
    alerts,
    ...(d.monitorfile !== undefined ? { monitorfile: d.monitorfile } : {}),
    ...(d.servicename !== undefined ? { servicename: d.servicename } : {}),
    ...(d.comment !== undefined ? { comment: d.comment } : {}),
    source: { file: diags.file, line: v.head.line },
  };
}

/** Start every host-name lookup at once, so N slow names cost one resolver timeout, not N (the resolver caches). */
function prefetchHosts(ast: ConfigAst, resolveHost: HostResolver): void {
  const start = (token: HostToken | undefined, family: Family): void => {
    if (token?.kind === "name") void resolveHost(token.text, family);
  };
  const fallback = (n: DirectiveNode, family: Family): void => {
    const f = parseFallbackSpec(n.value);
    if (f.ok) start(f.value.host, family);
  };
  for (const n of ast.globals) if (n.name === "fallback" || n.name === "fallback6") fallback(n, n.name === "fallback6" ? 6 : 4);
  for (const v of ast.virtuals) {
    const family: Family = v.head.name === "virtual6" ? 6 : 4;
    const hp = parseHostPort(v.head.value.split(/\s+/)[0] ?? "", false);
    if (hp.ok) start(hp.value.host, family);
    for (const n of v.body) {
      // Only lines whose address part has a letter outside brackets can name a host (cheap test: 10k literal reals).
      if ((n.name === "real" || n.name === "real6") && /[A-Za-z]/.test((n.value.split(/\s/, 1)[0] ?? "").replace(/\[[^\]]*\]/g, ""))) {
        const r = parseRealSpec(n.value);
        if (r.ok) {
          start(r.value.host, family);
          start(r.value.rangeEnd, family);
        }
      } else if (n.name === "fallback" || n.name === "fallback6") fallback(n, family);
    }
  }
}

/** Validate a parsed file; returns the config when there is no error (diagnostics are in diags either way). */
export async function validateAst(ast: ConfigAst, file: string, diags: Diagnostics, opts: ValidateOptions): Promise<DirectorConfig | undefined> {
  prefetchHosts(ast, opts.resolveHost);
  const g = readGlobals(ast.globals, diags);
  const globalFallbacks: { fallback?: FallbackServer; fallback6?: FallbackServer } = {};
  for (const fam of [4, 6] as const) {
    const spec = fam === 6 ? g.fallback6 : g.fallback;
    if (spec === undefined) continue;
    const name = fam === 6 ? "fallback6" : "fallback";
    const addr = await resolveHostToken(spec.value.host, fam, `${name}=${spec.value.host.text}`, spec.line, diags, opts.resolveHost);
    let port = 0;
    if (spec.value.port !== undefined && /^\d+$/.test(spec.value.port)) {
      port = Number(spec.value.port);
      if (port > 65535) {
        diags.error("bad-port", spec.line, `${name}=: port ${port} is out of range; expected 0..65535`);
        continue;
      }
    } else if (spec.value.port !== undefined && opts.resolveService(spec.value.port, "tcp") === undefined && opts.resolveService(spec.value.port, "udp") === undefined) {
      diags.error("bad-port", spec.line, `${name}=: unknown service name "${spec.value.port}" (not in /etc/services); write a port number`);
      continue;
    } else if (spec.value.port !== undefined) {
      port = opts.resolveService(spec.value.port, "tcp") ?? opts.resolveService(spec.value.port, "udp") ?? 0;
    }
    if (addr === undefined) continue;
    globalFallbacks[name] = { address: addr, family: fam, port, forward: spec.value.forward, source: { file, line: spec.line } };
  }

  const virtuals: VirtualService[] = [];
  const seenKeys = new Map<string, number>();
  for (const v of ast.virtuals) {
    const vs = await buildVirtual(v, g, globalFallbacks, diags, opts);
    if (vs === undefined) continue;
    const before = seenKeys.get(vs.key);
    if (before !== undefined) {
      diags.error("duplicate-virtual", v.head.line, `${v.head.name}=${v.head.value.split(/\s/)[0] ?? ""}: virtual service ${vs.key} is already defined on line ${before}`);
      continue;
    }
    seenKeys.set(vs.key, v.head.line);
    virtuals.push(vs);
  }

  if (diags.hasErrors) return undefined;
  const globals: GlobalSettings = {
    autoreload: g.autoreload ?? false,
    ...(g.callback !== undefined ? { callback: g.callback } : {}),
    logfile: g.logfile ?? { kind: "file", path: "/var/log/ldirectord.log" },
    execute: g.execute,
    fork: g.fork ?? false,
    supervised: g.supervised ?? false,
    readdquiescent: g.readdquiescent ?? false,
    ...(g.maintenancedir !== undefined ? { maintenancedir: g.maintenancedir } : {}),
    checkinterval: g.checkinterval ?? 10,
    ...(globalFallbacks.fallback !== undefined ? { fallback: globalFallbacks.fallback } : {}),
    ...(globalFallbacks.fallback6 !== undefined ? { fallback6: globalFallbacks.fallback6 } : {}),
    ...(g.fallbackcommand !== undefined ? { fallbackcommand: g.fallbackcommand } : {}),
    alerts: {
      emailalert: g.emailalert ?? [],
      emailalertfreq: g.emailalertfreq ?? 0,
      emailalertstatus: g.emailalertstatus ?? [...ALL_STATUSES],
      ...(g.smtp !== undefined ? { smtp: g.smtp } : {}),
      ...(g.emailalertfrom !== undefined ? { emailalertfrom: g.emailalertfrom } : {}),
    },
  };
  return {
    file,
    name: basename(file),
    globals,
    virtuals,
    warnings: diags.sorted().filter((x) => x.severity === "warning"),
  };
}
