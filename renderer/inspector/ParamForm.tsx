/**
 * The form of one node's params, generated from its type's field hints and zod schema: show-when
 * fields, inline errors from validateParams, and a raw JSON view of all params.
 */
import { useState } from 'react';
import { parseJson, stringifyJson } from '../../shared/json-text.ts';
import { nodeDescription } from '../../shared/nodes/index.ts';
import { paramProblems } from '../nodes/problems.ts';
import { Problem } from '../layout/Problem.tsx';
import { FieldInput } from './FieldInput.tsx';
import { isVisible, problemsByField, schemaDefault, withParam } from './fields.ts';
import { SchemaField, UnknownName, unknownName } from './SchemaFields.tsx';
import { unknownJsonNames } from './json-names.ts';
import { NO_SCHEMA, type SchemaView } from './schema-view.ts';
import { SCHEMA_MIME, droppedSchemaItem, fieldDrop, takesSchemaDrop } from '../panels/schema/schema-drag.ts';

export interface ParamFormProps {
  nodeId: string;
  type: string;
  params: Record<string, unknown>;
  onChange(params: Record<string, unknown>): void;
  /** What the node's schema fields offer and check (the plan's simulated schema before the node). */
  schema?: SchemaView;
}

function RawJson({ params, onChange }: Pick<ParamFormProps, 'params' | 'onChange'>) {
  const text = stringifyJson(params, 2);
  const [draft, setDraft] = useState<{ text: string; basis: Record<string, unknown>; error: string | null } | null>(
    null,
  );
  const live = draft && draft.basis === params ? draft : null;
  return (
    <>
      <textarea
        className="code raw-json"
        data-testid="inspector-raw"
        aria-label="Params as JSON"
        rows={Math.min(20, text.split('\n').length + 1)}
        spellCheck={false}
        value={live?.text ?? text}
        onChange={(e) => {
          try {
            const value = parseJson(e.target.value);
            if (!value || typeof value !== 'object' || Array.isArray(value))
              throw new Error('params must be a JSON object {...}');
            const next = value as Record<string, unknown>;
            setDraft({ text: e.target.value, basis: next, error: null });
            onChange(next);
          } catch (err) {
            setDraft({ text: e.target.value, basis: params, error: (err as Error).message });
          }
        }}
      />
      {live?.error && (
        <div className="field-error" data-testid="inspector-raw-error">
          {live.error}
        </div>
      )}
    </>
  );
}

export function ParamForm({ nodeId, type, params, onChange, schema = NO_SCHEMA }: ParamFormProps) {
  const [raw, setRaw] = useState(false);
  const desc = nodeDescription(type);
  const visible = desc ? desc.fields.filter((h) => isVisible(desc, params, h)) : [];
  const own = paramProblems(nodeId, type, params);
  // The plan's problems of a node whose params are valid, at their field (a name the field flags itself left out).
  const planned = own.length > 0 ? [] : schema.problems.filter((p) => p.severity !== 'info');
  const flagged = new Set(
    (desc?.fields ?? [])
      .filter((h) => h.schema && unknownName(h.schema, params, params[h.name], schema))
      .map((h) => h.name),
  );
  const { byField, general: nodeWide } = problemsByField(desc, [
    ...own,
    ...planned
      .filter((p) => !flagged.has(p.field?.split('.')[0] ?? ''))
      .map((p) => ({ ...(p.field ? { field: p.field } : {}), message: p.message, severity: p.severity })),
  ]);
  // Errors of fields that are hidden (the value no longer fits the operation) stay in sight here.
  const rawView = raw || !desc;
  const shown = new Set(rawView ? [] : visible.map((h) => h.name));
  const general = [
    ...nodeWide,
    ...[...byField].filter(([f]) => !shown.has(f)).flatMap(([field, ms]) => ms.map((message) => ({ field, message }))),
  ];
  return (
    <div className="param-form" data-testid="param-form">
      {general.length > 0 && (
        <ul className="problems" data-testid="inspector-problems">
          {general.map((p) => (
            <li key={`${p.field ?? ''} ${p.message}`}>
              <Problem type={type} field={p.field} message={p.message} />
            </li>
          ))}
        </ul>
      )}
      <label className="raw-toggle">
        <input
          type="checkbox"
          checked={rawView}
          disabled={!desc}
          onChange={(e) => setRaw(e.target.checked)}
          data-testid="inspector-raw-toggle"
        />
        Raw JSON
      </label>
      {rawView ? (
        <RawJson params={params} onChange={onChange} />
      ) : (
        visible.map((hint) => {
          const errors = byField.get(hint.name) ?? [];
          const fallback = schemaDefault(desc, hint.name);
          return (
            <div
              key={hint.name}
              className={`field${errors.length > 0 ? ' invalid' : ''}`}
              data-testid={`field-row-${hint.name}`}
              // A table or column from the schema browser fills the field with its name (one edit, one undo step).
              onDragOver={(e) => {
                if (!e.dataTransfer.types.includes(SCHEMA_MIME) || !takesSchemaDrop(hint)) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'copy';
              }}
              onDrop={(e) => {
                const item = droppedSchemaItem(e.dataTransfer);
                if (!item || !takesSchemaDrop(hint)) return;
                e.preventDefault();
                const next = fieldDrop(hint, params, item);
                if (next) onChange(next);
              }}
            >
              <label htmlFor={`field-${hint.name}`}>{hint.label}</label>
              {hint.schema ? (
                <SchemaField
                  hint={{ ...hint, schema: hint.schema }}
                  params={params}
                  view={schema}
                  onChange={(v) => onChange(withParam(params, hint.name, v))}
                />
              ) : (
                <FieldInput
                  hint={hint}
                  value={params[hint.name]}
                  fallback={fallback}
                  onChange={(v) => onChange(withParam(params, hint.name, v))}
                />
              )}
              {hint.widget === 'json' &&
                desc &&
                unknownJsonNames(desc.type, hint.name, params, schema).map((u, i) => (
                  <UnknownName
                    key={i}
                    id={`field-unknown-${hint.name}-${i}`}
                    unknown={u}
                    onTake={(n) => onChange(withParam(params, hint.name, u.take(n)))}
                  />
                ))}
              {hint.help && (hint.widget !== 'json' || hint.schema) && <div className="field-help">{hint.help}</div>}
              {errors.map((m) => (
                <div key={m} className="field-error" data-testid={`field-error-${hint.name}`}>
                  {m}
                </div>
              ))}
            </div>
          );
        })
      )}
    </div>
  );
}
