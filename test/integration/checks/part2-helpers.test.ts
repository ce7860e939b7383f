// Table tests of the pure helpers behind the part-2 checks (no sockets): how requests, logins and results are read.
import { describe, expect, it } from "vitest";
import { ftpCredentials, ftpPath } from "../../../src/checks/services/ftp.js";
import { hostPort, receivePattern, redact } from "../../../src/checks/probe.js";
import { imapQuote } from "../../../src/checks/services/imap.js";
import { ldapBase, ldapUrl } from "../../../src/checks/services/ldap.js";
import { mysqlRowCount } from "../../../src/checks/services/sql-mysql.js";
import { sqlQuery, sqlStep } from "../../../src/checks/services/sql-requirements.js";

describe("part-2 helpers", () => {
  it.each([
    ["/SELECT 1", "SELECT 1"],
    ["SELECT 1", "SELECT 1"],
    ["/", ""],
    ["/* probe */ SELECT 1", "/* probe */ SELECT 1"],
    ["//x", "/x"],
  ])("sqlQuery(%j) = %j", (request, query) => expect(sqlQuery(request)).toBe(query));

  it("sqlStep keeps one line and at most 80 characters", () => {
    expect(sqlStep("SELECT\n  1")).toBe("SELECT 1");
    expect(sqlStep(`SELECT ${"x".repeat(100)}`)).toHaveLength(80);
  });

  it.each([
    ["health.txt", "/health.txt"],
    ["/health.txt", "/health.txt"],
    ["//a/b", "/a/b"],
    ["/", "/"],
    ["", "/"],
  ])("ftpPath(%j) = %j", (request, path) => expect(ftpPath(request)).toBe(path));

  it("ftpCredentials: configured login as is, else anonymous with ldirectord@host", () => {
    expect(ftpCredentials("bob", "pw")).toEqual({ user: "bob", password: "pw" });
    expect(ftpCredentials("", "")).toMatchObject({ user: "anonymous", password: expect.stringMatching(/^ldirectord@.+/) });
  });

  it.each([
    ["alice", '"alice"'],
    ['a"b', '"a\\"b"'],
    ["a\\b", '"a\\\\b"'],
  ])("imapQuote(%j) = %s", (value, quoted) => expect(imapQuote(value)).toBe(quoted));

  it.each([
    ["/ou=health,dc=example,dc=org", "ou=health,dc=example,dc=org"],
    ["ou=x", "ou=x"],
    ["/", ""],
  ])("ldapBase(%j) = %j", (request, base) => expect(ldapBase(request)).toBe(base));

  it("ldapUrl and hostPort bracket IPv6", () => {
    expect(ldapUrl("2001:db8::5", 636, true)).toBe("ldaps://[2001:db8::5]:636");
    expect(hostPort("10.0.0.5", 389)).toBe("10.0.0.5:389");
  });

  it.each([
    [[{ a: 1 }, { a: 2 }], 2],
    [[], 0],
    [{ affectedRows: 3 }, 3],
    [null, 0],
  ])("mysqlRowCount(%j) = %d", (result, rows) => expect(mysqlRowCount(result)).toBe(rows));

  it("receivePattern: empty is none, Perl-ish patterns compile, a broken one names itself", () => {
    expect(receivePattern("")).toBeUndefined();
    expect(receivePattern("^ou=h.*")?.test("ou=health")).toBe(true);
    expect(() => receivePattern("(")).toThrow(/receive \/\(\/ is not a valid regular expression/);
  });

  it("redact hides every occurrence of each secret", () => {
    expect(redact("PASS s3cret failed for s3cret", ["s3cret", ""])).toBe("PASS *** failed for ***");
  });
});
