// The syntax tree between the parser and the validator: directives with their line numbers, grouped by section.

/** One `name=value` line (or a bare word such as `supervised`). */
export interface DirectiveNode {
  readonly name: string;
  /** The value: comment removed, blanks trimmed at both ends; "" for a bare word. */
  readonly value: string;
  readonly line: number;
  /** False for a bare word without `=`. */
  readonly hasEquals: boolean;
  /** Indentation width (TAB = 4 columns). */
  readonly indent: number;
  /** The trailing comment that was removed, if any. */
  readonly comment?: string;
  /** Blanks that followed the value (before any comment); ldirectord keeps them in the value. */
  readonly trailingBlanks: string;
}

/** A `virtual=` / `virtual6=` line and the directives of its section. */
export interface VirtualNode {
  readonly head: DirectiveNode;
  readonly body: DirectiveNode[];
}

/** A whole file: global directives and virtual sections, in file order. */
export interface ConfigAst {
  readonly globals: DirectiveNode[];
  readonly virtuals: VirtualNode[];
}
