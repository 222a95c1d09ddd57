/** One param's input, chosen by the field hint's widget. Empty input removes the param. */
import { useState } from 'react';
import type { FieldHint } from '../../shared/nodes/index.ts';
import { formatJsonField, parseJsonField } from './fields.ts';

export interface FieldInputProps {
  hint: FieldHint;
  value: unknown;
  /** The schema default, shown when the param is not set. */
  fallback: unknown;
  onChange(value: unknown): void;
}

/** Text being typed that is not (yet) a valid value, kept until the param changes elsewhere (undo). */
function useDraft(value: unknown) {
  const [draft, setDraft] = useState<{ text: string; basis: unknown; error: string | null } | null>(null);
  const live = draft && draft.basis === value ? draft : null;
  return [
    live,
    (text: string, basis: unknown, error: string | null) => setDraft({ text, basis, error }),
    () => setDraft(null),
  ] as const;
}

const scalar = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : '';

export function FieldInput({ hint, value, fallback, onChange }: FieldInputProps) {
  const [draft, setDraft, clearDraft] = useDraft(value);
  const id = `field-${hint.name}`;
  const common = { id, 'data-testid': id, 'aria-label': hint.label };
  const placeholder =
    hint.placeholder ?? (fallback !== undefined ? `default: ${formatJsonField(fallback)}` : undefined);

  switch (hint.widget) {
    case 'text':
      return (
        <input
          {...common}
          type="text"
          value={scalar(value)}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        />
      );
    case 'code':
      return (
        <textarea
          {...common}
          className="code"
          rows={3}
          spellCheck={false}
          value={scalar(value)}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        />
      );
    case 'number':
      return (
        <>
          <input
            {...common}
            type="text"
            inputMode="decimal"
            value={draft?.text ?? scalar(value)}
            placeholder={placeholder}
            onChange={(e) => {
              const t = e.target.value.trim();
              const n = Number(t);
              if (t === '') {
                clearDraft();
                onChange(undefined);
              } else if (Number.isFinite(n)) {
                clearDraft();
                onChange(n);
              } else setDraft(e.target.value, value, 'must be a number');
            }}
          />
          {draft?.error && (
            <div className="field-error" data-testid={`field-draft-error-${hint.name}`}>
              {draft.error}
            </div>
          )}
        </>
      );
    case 'boolean':
      return (
        <select
          {...common}
          value={value === true ? 'true' : value === false ? 'false' : ''}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}
        >
          <option value="">{fallback === undefined ? '(not set)' : `(default: ${fallback ? 'yes' : 'no'})`}</option>
          <option value="true">yes</option>
          <option value="false">no</option>
        </select>
      );
    case 'select':
      return (
        <select
          {...common}
          value={scalar(value)}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        >
          <option value="">{fallback === undefined ? '(not set)' : `(default: ${scalar(fallback)})`}</option>
          {(hint.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
          {typeof value === 'string' && value !== '' && !(hint.options ?? []).includes(value) && (
            <option value={value}>{value}</option>
          )}
        </select>
      );
    case 'list': {
      const items = Array.isArray(value) ? value.map(scalar) : [];
      if (hint.options) {
        return (
          <div className="checks" {...common}>
            {hint.options.map((o) => (
              <label key={o} className="check">
                <input
                  type="checkbox"
                  data-testid={`${id}-${o}`}
                  checked={items.includes(o)}
                  onChange={(e) => {
                    const next = e.target.checked
                      ? hint.options!.filter((x) => x === o || items.includes(x))
                      : items.filter((x) => x !== o);
                    onChange(next.length === 0 ? undefined : next);
                  }}
                />
                {o}
              </label>
            ))}
          </div>
        );
      }
      return (
        <textarea
          {...common}
          rows={3}
          spellCheck={false}
          placeholder="one per line"
          value={draft?.text ?? items.join('\n')}
          onChange={(e) => {
            const next = e.target.value
              .split('\n')
              .map((s) => s.trim())
              .filter(Boolean);
            setDraft(e.target.value, next.length === 0 ? undefined : next, null);
            onChange(next.length === 0 ? undefined : next);
          }}
        />
      );
    }
    case 'json':
      return (
        <>
          <textarea
            {...common}
            className="code"
            rows={formatJsonField(value).includes('\n') ? 5 : 2}
            spellCheck={false}
            placeholder={hint.help ?? placeholder}
            value={draft?.text ?? formatJsonField(value)}
            onChange={(e) => {
              const parsed = parseJsonField(e.target.value);
              if (parsed.ok) {
                setDraft(e.target.value, parsed.value, null);
                onChange(parsed.value);
              } else setDraft(e.target.value, value, parsed.error);
            }}
          />
          {draft?.error && (
            <div className="field-error" data-testid={`field-draft-error-${hint.name}`}>
              {draft.error}
            </div>
          )}
        </>
      );
  }
}
