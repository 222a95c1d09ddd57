/**
 * The SQL views' syntax colours: GitHub's light palette, each at least 4.5:1 against the white
 * and the light grey backgrounds of the panels (WCAG AA for 12 px text; CodeMirror's default
 * colours for numbers and some names fall under 4:1), checked by e2e/accessibility.spec.ts.
 */
import { HighlightStyle } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

export const sqlHighlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.modifier], color: '#8250df' },
  { tag: [t.string, t.special(t.string)], color: '#0a3069' },
  { tag: [t.number, t.bool, t.null, t.atom], color: '#0550ae' },
  { tag: [t.typeName, t.standard(t.name)], color: '#953800' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: '#57606a', fontStyle: 'italic' },
  { tag: [t.special(t.name), t.special(t.variableName), t.function(t.variableName)], color: '#116329' },
  { tag: [t.name, t.variableName, t.propertyName, t.operator, t.punctuation, t.bracket], color: '#1f2328' },
  { tag: t.invalid, color: '#a40e26' },
]);
