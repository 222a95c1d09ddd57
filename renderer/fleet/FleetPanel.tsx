/**
 * The fleet panel (docs/fleet.md, "In the editor"): the open workflow on many databases. Targets
 * are saved connections, ticked one by one or by environment or tag, or a targets file; Plan shows the
 * plan matrix; Run asks for confirmation naming how many targets and which environments it hits
 * (production: type "production"), then shows the live grid of targets, filtered by status and
 * sorted by any column; clicking a target shows its error and opens its run.
 */
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../store/index.ts';
import { docText } from '../store/doc.ts';
import { environmentOf } from '../connections/connection-form.ts';
import { EnvironmentChip } from '../connections/EnvironmentChip.tsx';
import { CloseButton, Modal } from '../layout/Modal.tsx';
import { useTypeNameConfirm } from '../layout/TypeNameConfirm.tsx';
import { openHistoricRun } from '../commands/runs.ts';
import { plural } from '../panels/format.ts';
import { FleetGrid } from './FleetGrid.tsx';
import {
  answerWave,
  cancelFleet,
  loadTargetsFile,
  planFleet,
  startFleet,
  targetsChoice,
  useFleet,
  type WaveFields,
} from './fleet-store.ts';
import './fleet.css';

/** What a run would hit: the targets' count and environments. */
function useReach(): { count: number; environments: Map<string, number>; production: string[] } {
  const s = useFleet();
  const connections = useApp((a) => a.connections);
  return useMemo(() => {
    const environments = new Map<string, number>();
    const production: string[] = [];
    const add = (label: string, env: string | null, prod: boolean) => {
      const key = env ?? 'no environment';
      environments.set(key, (environments.get(key) ?? 0) + 1);
      if (prod) production.push(label);
    };
    if (s.source === 'file')
      for (const t of s.fileTargets?.targets ?? []) add(t.label, t.environment, t.environment === 'production');
    else
      for (const id of s.picked) {
        const c = connections.find((x) => x.id === id);
        if (!c) continue;
        const env = environmentOf(c);
        add(c.name, c.environment ? env.label : null, env.production);
      }
    const count = [...environments.values()].reduce((a, b) => a + b, 0);
    return { count, environments, production };
  }, [s.source, s.fileTargets, s.picked, connections]);
}

function ConnectionPicker() {
  const connections = useApp((a) => a.connections);
  const picked = useFleet((s) => s.picked);
  const [env, setEnv] = useState('');
  const [tag, setTag] = useState('');
  const envs = [...new Set(connections.map((c) => (c.environment ? environmentOf(c).label : '')))].sort();
  const tags = [...new Set(connections.flatMap((c) => c.tags ?? []))].sort();
  const shown = connections.filter(
    (c) =>
      (env === '' || (c.environment ? environmentOf(c).label : '-') === env) &&
      (tag === '' || (c.tags ?? []).includes(tag)),
  );
  const set = (ids: string[]) =>
    useFleet.getState().set({ picked: connections.map((c) => c.id).filter((id) => ids.includes(id)), plan: null });
  return (
    <div className="fleet-picker">
      <div className="fleet-row">
        <label htmlFor="fleet-env">Environment</label>
        <select id="fleet-env" data-testid="fleet-env" value={env} onChange={(e) => setEnv(e.target.value)}>
          <option value="">all</option>
          {envs.map((e) => (
            <option key={e || '-'} value={e || '-'}>
              {e || '(none)'}
            </option>
          ))}
        </select>
        <label htmlFor="fleet-tag">Tag</label>
        <select id="fleet-tag" data-testid="fleet-tag" value={tag} onChange={(e) => setTag(e.target.value)}>
          <option value="">all</option>
          {tags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="fleet-pick-shown"
          onClick={() => set([...new Set([...picked, ...shown.map((c) => c.id)])])}
        >
          Tick shown
        </button>
        <button type="button" data-testid="fleet-pick-none" onClick={() => set([])}>
          Clear
        </button>
        <span className="df-muted">{plural(picked.length, 'target')} ticked</span>
      </div>
      <div className="fleet-scroll fleet-scroll-small">
        <table className="fleet-table">
          <thead>
            <tr>
              <th />
              <th>connection</th>
              <th>environment</th>
              <th>tags</th>
              <th>database</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Target ${c.name}`}
                    data-testid={`fleet-pick-${c.name}`}
                    checked={picked.includes(c.id)}
                    onChange={(e) => set(e.target.checked ? [...picked, c.id] : picked.filter((id) => id !== c.id))}
                  />
                </td>
                <td>{c.name}</td>
                <td>
                  <EnvironmentChip conn={c} />
                </td>
                <td>{(c.tags ?? []).join(', ')}</td>
                <td className="fleet-mono">
                  {c.kind === 'sqlite' ? c.path : `${c.user}@${c.host}:${c.port}/${c.database}`}
                  {c.readOnly ? ' (read-only)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function FilePicker() {
  const file = useFleet((s) => s.file);
  const read = useFleet((s) => s.fileTargets);
  return (
    <div className="fleet-picker">
      <div className="fleet-row">
        <label htmlFor="fleet-file">targets.json</label>
        <input
          id="fleet-file"
          data-testid="fleet-file"
          className="fleet-mono fleet-grow"
          placeholder="/path/to/targets.json"
          value={file}
          onChange={(e) => useFleet.getState().set({ file: e.target.value, fileTargets: null, plan: null })}
        />
        <button
          type="button"
          data-testid="fleet-file-load"
          disabled={!file.trim()}
          onClick={() => void loadTargetsFile()}
        >
          Load
        </button>
      </div>
      {read && (
        <p className="df-muted" data-testid="fleet-file-read">
          {plural(read.targets.length, 'target')}
          {read.invalid.length > 0 && `, ${read.invalid.length} invalid: `}
          {read.invalid.map((t) => `${t.source} ${t.label}: "${t.field}" ${t.message}`).join('; ')}
        </p>
      )}
    </div>
  );
}

const FIELDS: { key: keyof WaveFields; label: string; title: string }[] = [
  { key: 'canary', label: 'Canary', title: 'Targets of the first wave, which must all succeed first (0: none)' },
  { key: 'wave', label: 'Wave size', title: 'Targets per wave after the canary (empty: all the rest)' },
  { key: 'parallel', label: 'Parallel', title: 'Targets run at once inside a wave' },
  { key: 'maxFailures', label: 'Max failures', title: 'Stop once this many targets failed (with on error: continue)' },
];

function WaveOptions({ disabled }: { disabled: boolean }) {
  const o = useFleet((s) => s.options);
  const put = (patch: Partial<WaveFields>) => useFleet.getState().set({ options: { ...o, ...patch } });
  return (
    <div className="fleet-row fleet-options">
      {FIELDS.map((f) => (
        <span key={f.key} className="fleet-field" title={f.title}>
          <label htmlFor={`fleet-${f.key}`}>{f.label}</label>
          <input
            id={`fleet-${f.key}`}
            data-testid={`fleet-${f.key}`}
            className="fleet-num"
            inputMode="numeric"
            disabled={disabled}
            value={o[f.key] as string}
            onChange={(e) => put({ [f.key]: e.target.value })}
          />
        </span>
      ))}
      <span className="fleet-field">
        <label htmlFor="fleet-onError">On error</label>
        <select
          id="fleet-onError"
          data-testid="fleet-onError"
          disabled={disabled}
          value={o.onError}
          onChange={(e) => put({ onError: e.target.value as WaveFields['onError'] })}
        >
          <option value="stop">stop</option>
          <option value="continue">continue</option>
        </select>
      </span>
      <label className="fleet-field" title="Ask before each wave after the canary">
        <input
          type="checkbox"
          data-testid="fleet-pause"
          disabled={disabled}
          checked={o.pause}
          onChange={(e) => put({ pause: e.target.checked })}
        />
        Pause between waves
      </label>
    </div>
  );
}

/** The confirmation of a run: what it hits, and for production the typed word. */
function ConfirmRun({ onGo, onBack }: { onGo: () => void; onBack: () => void }) {
  const reach = useReach();
  const name = useApp((a) => a.doc.name);
  const typed = useTypeNameConfirm(
    'production',
    reach.production.length > 0,
    'fleet',
    'apply',
    true,
    <>
      This fleet changes <strong>{plural(reach.production.length, 'production database')}</strong>. Type the
      environment&apos;s name, <code>production</code>, to apply:
    </>,
  );
  return (
    <div className="fleet-confirm" data-testid="fleet-confirm" role="group" aria-label="Confirm the fleet run">
      <p>
        Apply <strong>{name}</strong> to{' '}
        <strong data-testid="fleet-confirm-count">{plural(reach.count, 'target')}</strong>:{' '}
        <span data-testid="fleet-confirm-envs">
          {[...reach.environments].map(([env, n]) => `${n} ${env}`).join(', ')}
        </span>
        .
      </p>
      {reach.production.length > 0 && (
        <p className="fleet-prod" data-testid="fleet-confirm-production">
          Production: {reach.production.join(', ')}
        </p>
      )}
      {typed.field}
      <div className="fleet-row">
        <button type="button" onClick={onBack} data-testid="fleet-confirm-back">
          Back
        </button>
        <button
          type="button"
          className={reach.production.length > 0 ? 'danger' : 'primary'}
          data-testid="fleet-confirm-go"
          disabled={!typed.confirmed}
          onClick={onGo}
        >
          Apply to {plural(reach.count, 'target')}
        </button>
      </div>
    </div>
  );
}

function WaveWaiting() {
  const waiting = useFleet((s) => s.waiting);
  if (!waiting) return null;
  return (
    <div className="fleet-confirm" data-testid="fleet-wave-confirm" role="group" aria-label="Confirm the next wave">
      <p>
        Wave {waiting.wave} is next: {plural(waiting.labels.length, 'target')} ({waiting.labels.slice(0, 8).join(', ')}
        {waiting.labels.length > 8 ? '…' : ''}). Go on?
      </p>
      <div className="fleet-row">
        <button type="button" data-testid="fleet-wave-stop" onClick={() => void answerWave(false)}>
          Stop the fleet here
        </button>
        <button type="button" className="primary" data-testid="fleet-wave-go" onClick={() => void answerWave(true)}>
          Run wave {waiting.wave}
        </button>
      </div>
    </div>
  );
}

export function FleetPanel() {
  const s = useFleet();
  const doc = useApp((a) => a.doc);
  const filePath = useApp((a) => a.filePath);
  const [confirming, setConfirming] = useState(false);
  const running = s.run?.status === 'running';
  const choice = targetsChoice(s);
  const text = () => docText(useApp.getState().doc);
  useEffect(() => {
    if (running) setConfirming(false);
  }, [running]);
  return (
    <Modal
      title={`Fleet: ${doc.name}`}
      testId="fleet-panel"
      wide
      actions={
        <>
          {running && (
            <button type="button" className="danger" data-testid="fleet-cancel" onClick={() => void cancelFleet()}>
              Cancel fleet
            </button>
          )}
          <CloseButton label="Close" />
        </>
      }
    >
      <div className="fleet-panel">
        <div className="fleet-row" role="tablist" aria-label="Targets from">
          {(['connections', 'file'] as const).map((src) => (
            <button
              key={src}
              type="button"
              role="tab"
              aria-selected={s.source === src}
              className={s.source === src ? 'fleet-tab fleet-tab-on' : 'fleet-tab'}
              data-testid={`fleet-source-${src}`}
              disabled={running}
              onClick={() => s.set({ source: src, plan: null })}
            >
              {src === 'connections' ? 'Saved connections' : 'Targets file'}
            </button>
          ))}
        </div>
        {s.source === 'connections' ? <ConnectionPicker /> : <FilePicker />}
        <WaveOptions disabled={running} />
        <div className="fleet-row">
          <button
            type="button"
            data-testid="fleet-plan"
            disabled={!choice || running || s.busy !== null}
            onClick={() => void planFleet(text(), filePath)}
          >
            {s.busy === 'planning' ? 'Planning…' : 'Plan'}
          </button>
          <button
            type="button"
            className="primary"
            data-testid="fleet-run"
            disabled={!choice || running || s.busy !== null || confirming}
            onClick={() => setConfirming(true)}
          >
            Run…
          </button>
          {s.error && (
            <span className="fleet-error" role="alert" data-testid="fleet-error">
              {s.error}
            </span>
          )}
        </div>
        {confirming && (
          <ConfirmRun
            onBack={() => setConfirming(false)}
            onGo={() => {
              setConfirming(false);
              void startFleet(text(), filePath);
            }}
          />
        )}
        <WaveWaiting />
        <FleetGrid
          plan={s.plan}
          run={s.run}
          onOpenRun={(runId) => {
            useApp.getState().closeDialog();
            void openHistoricRun(runId);
          }}
        />
      </div>
    </Modal>
  );
}
