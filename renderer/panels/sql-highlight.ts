/**
 * The SQL views' syntax colours, the `--sql-*` properties of theme/theme.css: GitHub's light and
 * dark palettes, each at least 4.5:1 against the panels' backgrounds of its theme (WCAG AA for
 * 12 px text; CodeMirror's default colours for numbers and some names fall under 4:1), checked by
 * e2e/accessibility.spec.ts and e2e/room.spec.ts.
 */
import { HighlightStyle } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

export const sqlHighlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.modifier], color: 'var(--sql-keyword)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--sql-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--sql-number)' },
  { tag: [t.typeName, t.standard(t.name)], color: 'var(--sql-type)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--sql-comment)', fontStyle: 'italic' },
  { tag: [t.special(t.name), t.special(t.variableName), t.function(t.variableName)], color: 'var(--sql-name)' },
  { tag: [t.name, t.variableName, t.propertyName, t.operator, t.punctuation, t.bracket], color: 'var(--sql-plain)' },
  { tag: t.invalid, color: 'var(--sql-invalid)' },
]);
