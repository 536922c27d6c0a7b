/**
 * A scripted editing session on the small JSON config: 2,000 single-character edits (typing and
 * backspacing in filter values, env overrides, fs lists, new keys, passing through invalid JSON as
 * real typing does), with the target's name retyped twice (checkout -> search -> inventory).
 */
import { generateConfig } from './configs';

export type Edit = { offset: number; insert: string } | { offset: number; delete: 1 };

export interface EditSession {
  initial: string;
  edits: Edit[];
  /** The targets the session settles on, in order. */
  targets: string[];
  /** Indexes of the edits that finish a target change (the user pauses there to read). */
  pauseAfter: number[];
}

/** Typing tasks: after `anchor`, type `text` then backspace it (so the file comes back). */
const TASKS: { anchor: string; text: string }[] = [
  { anchor: '"override": {', text: '\n        "CHECKOUT_DEBUG": "true",' },
  { anchor: '"^/api/v1/checkout', text: '/cart/(add|remove)' },
  { anchor: '"local": [', text: '\n          "^/var/run/checkout/.*",' },
  { anchor: '"ttl": 3', text: '00' },
  { anchor: '"read_write": [', text: '"^/tmp/cache/.*", ' },
  { anchor: '"^x-dev-session: alice', text: '|bob|carol' },
];

export function editSession(totalEdits = 2000): EditSession {
  let text = generateConfig('small', 'json');
  const initial = text;
  const edits: Edit[] = [];
  const type = (offset: number, chars: string): void => {
    for (let i = 0; i < chars.length; i++) {
      edits.push({ offset: offset + i, insert: chars[i] });
      text = text.slice(0, offset + i) + chars[i] + text.slice(offset + i);
    }
  };
  const backspace = (end: number, count: number): void => {
    for (let i = 0; i < count; i++) {
      edits.push({ offset: end - 1 - i, delete: 1 });
      text = text.slice(0, end - 1 - i) + text.slice(end - i);
    }
  };
  const retarget = (from: string, to: string): void => {
    const end = text.indexOf(`deployment/${from}`) + `deployment/${from}`.length;
    backspace(end, from.length);
    type(end - from.length, to);
  };
  const targets = ['checkout'];
  const pauseAfter: number[] = [];
  const changes = [
    { at: Math.floor(totalEdits / 3), to: 'search' },
    { at: Math.floor((2 * totalEdits) / 3), to: 'inventory' },
  ];
  let task = 0;
  while (edits.length < totalEdits) {
    const change = changes.find((c) => edits.length >= c.at && !targets.includes(c.to));
    if (change) {
      retarget(targets[targets.length - 1], change.to);
      targets.push(change.to);
      pauseAfter.push(edits.length - 1);
      continue;
    }
    const { anchor, text: chars } = TASKS[task++ % TASKS.length];
    const at = text.indexOf(anchor) + anchor.length;
    type(at, chars);
    backspace(at + chars.length, chars.length);
  }
  edits.length = totalEdits;
  return { initial, edits, targets, pauseAfter };
}

export function applyEdit(text: string, edit: Edit): string {
  return 'insert' in edit ? text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset) : text.slice(0, edit.offset) + text.slice(edit.offset + 1);
}
