/**
 * Enough of POSIX shell to read the scripts people put in exec probes (`sh -c "..."`): words with
 * quotes and escapes, the list operators (`&&`, `||`, `;`, `|`, `&`, newlines), subshells,
 * redirections and comments. Nothing is expanded: a word remembers whether it held `$...` or a
 * command substitution, so a caller can refuse to guess its value, and keeps the scripts of its
 * command substitutions, which run too. Never throws.
 */

export interface ShellWord {
  /** The word with quotes removed; `$VAR`, `${VAR}` and `$(...)` kept as written. */
  text: string;
  /** True when an unquoted or double-quoted `$` or a backtick is part of the word. */
  expands: boolean;
  /**
   * The scripts of the word's command substitutions (`$(...)`, backticks), in order: the shell
   * runs them before the command itself, so they are commands of the probe too.
   */
  substitutions?: string[];
}

export interface SimpleCommand {
  words: ShellWord[];
  /** Targets of redirections (`> /dev/null`, `< /dev/tcp/127.0.0.1/8080`), in order. */
  redirections: string[];
  /** The command as written, for messages. */
  source: string;
}

export interface ParsedScript {
  commands: SimpleCommand[];
  /** Set when the script could not be read (an unterminated quote, a here-document...). */
  problem?: string;
}

/** Reserved words that only structure the script; the commands between them are what runs. */
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time']);

export function parseShellScript(script: string): ParsedScript {
  try {
    return new ScriptReader(typeof script === 'string' ? script : '').read();
  } catch (error) {
    return { commands: [], problem: error instanceof Error ? error.message : String(error) };
  }
}

class ScriptReader {
  private pos = 0;
  private readonly commands: SimpleCommand[] = [];
  private words: ShellWord[] = [];
  private redirections: string[] = [];
  private commandStart = 0;

  constructor(private readonly text: string) {}

  read(): ParsedScript {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c === ' ' || c === '\t') {
        this.pos++;
      } else if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
        if (c === '&' && text[this.pos + 1] === '>') {
          this.redirection();
          continue;
        }
        this.endCommand();
        this.pos += (c === '&' || c === '|' || c === ';') && text[this.pos + 1] === c ? 2 : 1;
        this.commandStart = this.pos;
      } else if (c === '#' && this.atWordStart()) {
        while (this.pos < text.length && text[this.pos] !== '\n') this.pos++;
      } else if (this.atRedirection()) {
        this.redirection();
      } else {
        const word = this.word();
        if (this.words.length === 0 && !word.expands && RESERVED.has(word.text)) {
          this.commandStart = this.pos;
          continue;
        }
        this.words.push(word);
      }
    }
    this.endCommand();
    return { commands: this.commands };
  }

  private atWordStart(): boolean {
    const before = this.text[this.pos - 1];
    return before === undefined || /[\s;&|()]/.test(before);
  }

  /** `>`, `>>`, `<`, `2>`, `2>&1`, `&>`, `<<<`: digits directly before count as the fd. */
  private atRedirection(): boolean {
    const rest = this.text.slice(this.pos);
    return /^\d*(?:>|<)/.test(rest) && this.atWordStart();
  }

  private redirection(): void {
    const rest = this.text.slice(this.pos);
    const op = /^(?:\d*(?:<<<|<<-?|>>|>&|<&|<>|>\||>|<)|&>>?)/.exec(rest);
    if (!op) {
      this.pos++;
      return;
    }
    if (op[0].endsWith('<<') || op[0].endsWith('<<-')) throw new Error('here-documents are not read');
    this.pos += op[0].length;
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
    const target = this.word();
    this.redirections.push(target.text);
  }

  private endCommand(): void {
    if (this.words.length > 0 || this.redirections.length > 0) {
      this.commands.push({ words: this.words, redirections: this.redirections, source: this.text.slice(this.commandStart, this.pos).trim() });
    }
    this.words = [];
    this.redirections = [];
  }

  private word(): ShellWord {
    const { text } = this;
    let out = '';
    let expands = false;
    const substitutions: string[] = [];
    const expansion = () => {
      const written = this.expansion();
      if (written.startsWith('`')) substitutions.push(written.slice(1, -1));
      else if (written.startsWith('$(') && !written.startsWith('$((')) substitutions.push(written.slice(2, -1));
      return written;
    };
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (/[\s;&|()<>]/.test(c)) break;
      if (c === "'") {
        const end = text.indexOf("'", this.pos + 1);
        if (end < 0) throw new Error('an unterminated single quote');
        out += text.slice(this.pos + 1, end);
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        for (;;) {
          if (this.pos >= text.length) throw new Error('an unterminated double quote');
          const d = text[this.pos];
          if (d === '"') {
            this.pos++;
            break;
          }
          if (d === '\\' && /["\\$`\n]/.test(text[this.pos + 1] ?? '')) {
            if (text[this.pos + 1] !== '\n') out += text[this.pos + 1];
            this.pos += 2;
          } else if (d === '$' || d === '`') {
            expands = true;
            out += expansion();
          } else {
            out += d;
            this.pos++;
          }
        }
      } else if (c === '\\') {
        if (text[this.pos + 1] !== '\n') out += text[this.pos + 1] ?? '';
        this.pos += 2;
      } else if (c === '$' || c === '`') {
        expands = true;
        out += expansion();
      } else {
        out += c;
        this.pos++;
      }
    }
    return substitutions.length > 0 ? { text: out, expands, substitutions } : { text: out, expands };
  }

  /** `$NAME`, `${...}`, `$(...)`, `$((...))` or a backtick substitution, kept as written. */
  private expansion(): string {
    const { text } = this;
    const start = this.pos;
    if (text[this.pos] === '`') {
      const end = text.indexOf('`', this.pos + 1);
      if (end < 0) throw new Error('an unterminated backtick');
      this.pos = end + 1;
      return text.slice(start, this.pos);
    }
    const next = text[this.pos + 1];
    if (next === '(' || next === '{') {
      const close = next === '(' ? ')' : '}';
      let depth = 0;
      this.pos++;
      while (this.pos < text.length) {
        const d = text[this.pos];
        if (d === next) depth++;
        else if (d === close && --depth === 0) break;
        this.pos++;
      }
      if (this.pos >= text.length) throw new Error(`an unterminated $${next}`);
      this.pos++;
      return text.slice(start, this.pos);
    }
    this.pos++;
    if (/[A-Za-z_]/.test(text[this.pos] ?? '')) while (/[A-Za-z0-9_]/.test(text[this.pos] ?? '')) this.pos++;
    else if (/[0-9@*#?$!-]/.test(text[this.pos] ?? '')) this.pos++;
    return text.slice(start, this.pos);
  }
}
