/**
 * The window: toolbar on top; palette and schema browser on the left; the canvas; inspector / SQL
 * preview on the right; run / diff / metrics / history at the bottom.
 */
import { useEffect, useMemo, type ReactNode } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { useApp } from '../store/index.ts';
import type { BottomTab, RightTab } from '../store/ui-slice.ts';
import { Toolbar } from '../toolbar/Toolbar.tsx';
import { ProductionBand } from '../toolbar/ProductionBand.tsx';
import { useTarget } from '../toolbar/target.ts';
import { Canvas } from '../canvas/Canvas.tsx';
import { Palette } from '../canvas/Palette.tsx';
import { Inspector } from '../inspector/Inspector.tsx';
import { SqlPreview, type PreviewReview } from '../panels/SqlPreview.tsx';
import { fixOf } from '../commands/lint.ts';
import { RunPanel } from '../panels/RunPanel.tsx';
import { DiffPanel } from '../panels/DiffPanel.tsx';
import { MetricsPanel } from '../panels/MetricsPanel.tsx';
import { SchemaBrowser } from '../panels/SchemaBrowser.tsx';
import { HistoryPanel } from '../panels/HistoryPanel.tsx';
import { openHistoricRun, refreshHistory, refreshPreview, refreshSchema } from '../commands/runs.ts';
import { showSql } from '../commands/files.ts';
import { planFailure } from '../../shared/plan-script.ts';
import { ExecutionPanel } from '../panels/ExecutionPanel.tsx';
import { NodeRunButton } from '../nodes/NodeRunMenu.tsx';
import { showExecution } from '../commands/node-runs.ts';
import { offerResume } from '../commands/resume.ts';
import { offerRollback } from '../commands/rollback.ts';
import { api } from '../api/index.ts';
import { runState } from '../../shared/run-state.ts';
import { Dialogs } from './Dialogs.tsx';
import { CommandPalette } from '../palette/CommandPalette.tsx';
import { sqlFocusTaken, useSqlFocus } from '../commands/sql-focus.ts';
import { NoticeBar } from './NoticeBar.tsx';
import { revealNode } from './Problem.tsx';
import { MainArea } from './MainArea.tsx';
import { MaximiseButton } from './MaximiseButton.tsx';
import { PopOutButton } from '../popout/PopOutButton.tsx';
import './focus.css';

function Tabs<T extends string>({
  tabs,
  value,
  onChange,
  name,
  children,
}: {
  tabs: readonly [T, string][];
  value: T;
  onChange: (t: T) => void;
  name: string;
  /** Shown at the end of the row, outside the tab list (the maximise button). */
  children?: ReactNode;
}) {
  return (
    <div className="tabs-row">
      <div className="tabs" role="tablist" aria-label={name}>
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={value === id}
            className={value === id ? 'active' : ''}
            data-testid={`tab-${id}`}
            onClick={() => onChange(id)}
          >
            {label}
          </button>
        ))}
      </div>
      {children}
    </div>
  );
}

function SqlPreviewPane() {
  const preview = useApp((s) => s.preview);
  const nodes = useApp((s) => s.doc.nodes);
  const dialect = useApp((s) => s.connections.find((c) => c.id === s.connectionId)?.kind);
  const nodeTypes = useMemo(() => Object.fromEntries(nodes.map((n) => [n.id, n.type])), [nodes]);
  const lint = useApp((s) => s.lint);
  const focus = useSqlFocus();
  useEffect(sqlFocusTaken, [focus]);
  const review = useMemo<PreviewReview | undefined>(
    () =>
      lint.report && lint.text === preview.text
        ? { findings: lint.report.findings, config: lint.report.config, fixOf }
        : undefined,
    [lint.report, lint.text, preview.text],
  );
  return (
    <>
      {preview.error && (
        <div className="field-error pane-error" data-testid="sql-preview-error">
          {preview.error}
        </div>
      )}
      <SqlPreview
        result={preview.result}
        loading={preview.pending}
        nodeTypes={nodeTypes}
        dialect={dialect === 'postgres' ? 'postgres' : 'sqlite'}
        onExportSql={(sql) => showSql(sql, preview.result ? planFailure(preview.result) : null)}
        review={review}
        focus={focus}
      />
      {lint.error && (
        <div className="field-error pane-error" data-testid="sql-preview-lint-error">
          Safety review: {lint.error}
        </div>
      )}
    </>
  );
}

const RIGHT_TABS: readonly [RightTab, string][] = [
  ['inspector', 'Inspector'],
  ['sql', 'SQL preview'],
];
const BOTTOM_TABS: readonly [BottomTab, string][] = [
  ['run', 'Run'],
  ['execution', 'Execution'],
  ['diff', 'Diff'],
  ['metrics', 'Metrics'],
  ['history', 'History'],
];

function RightColumn() {
  const tab = useApp((s) => s.rightTab);
  return (
    <>
      <Tabs
        name="Side panel"
        tabs={RIGHT_TABS}
        value={tab}
        onChange={(t) => {
          useApp.getState().setRightTab(t);
          if (t === 'sql') void refreshPreview();
        }}
      >
        {tab === 'sql' && <PopOutButton panel="sql" />}
        {tab === 'sql' && <MaximiseButton panel="sql" />}
      </Tabs>
      <div className="pane" role="tabpanel" aria-label={tab === 'inspector' ? 'Inspector' : 'SQL preview'}>
        {tab === 'inspector' ? (
          <div className="inspector">
            <Inspector />
          </div>
        ) : (
          <SqlPreviewPane />
        )}
      </div>
    </>
  );
}

/** The History's refresh: one function, so the panel reads the list once per opening. */
const refreshLatestHistory = () => void refreshHistory();

const loadSnapshot = (hash: string) => api().invoke('history.snapshot', { hash });

/** The execution view of the single selected node in the run shown (live: from its node_finished event). */
function ExecutionPane() {
  const run = useApp((s) => s.run);
  const nodeId = useApp((s) => (s.selection.nodes.length === 1 ? s.selection.nodes[0]! : null));
  const nodeType = useApp((s) => s.doc.nodes.find((n) => n.id === nodeId)?.type ?? null);
  const result = useMemo(() => {
    if (!nodeId) return null;
    const done = run.result?.nodes[nodeId];
    if (done) return done;
    const ev = run.events.findLast((e) => e.type === 'node_finished' && e.nodeId === nodeId);
    return ev?.type === 'node_finished' ? ev.result : null;
  }, [run.result, run.events, nodeId]);
  return (
    <ExecutionPanel
      nodeId={nodeId}
      nodeType={nodeType}
      result={result}
      mode={run.mode}
      loadSnapshot={loadSnapshot}
      actions={nodeType && <NodeRunButton nodeId={nodeId!} />}
    />
  );
}

function resumeShown(): void {
  const { run, connectionId } = useApp.getState();
  const history = useApp.getState().history.find((h) => h.runId === run.runId);
  if (!run.result) return;
  void offerResume({
    runId: run.result.runId,
    workflow: run.result.workflow,
    connectionId: history?.connectionId ?? connectionId,
  });
}

function BottomPanel() {
  const tab = useApp((s) => s.bottomTab);
  const run = useApp((s) => s.run);
  const history = useApp((s) => s.history);
  const target = useTarget();
  return (
    <>
      <Tabs name="Run panels" tabs={BOTTOM_TABS} value={tab} onChange={(t) => useApp.getState().setBottomTab(t)}>
        {tab === 'diff' && <PopOutButton panel="diff" />}
        {tab === 'diff' && <MaximiseButton panel="diff" />}
      </Tabs>
      {run.source === 'history' && run.result && (
        <div className="history-banner" data-testid="history-banner">
          Showing run {run.result.runId.slice(0, 8)} (
          {run.result.mode === 'rehearse' ? 'rehearsal, rolled back' : run.result.mode}, {runState(run.result)}) from
          the history.
          <button type="button" className="link" onClick={() => useApp.getState().clearRun()}>
            Close
          </button>
        </div>
      )}
      <div className="pane" role="tabpanel" aria-label={BOTTOM_TABS.find(([t]) => t === tab)?.[1]}>
        {tab === 'run' && (
          <RunPanel
            events={run.source === 'live' ? run.events : []}
            result={run.result}
            onSelectNode={revealNode}
            onShowNode={showExecution}
            onResume={resumeShown}
            starting={run.phase === 'starting' && run.mode ? { mode: run.mode, target: target?.name ?? null } : null}
          />
        )}
        {tab === 'execution' && <ExecutionPane />}
        {tab === 'diff' && <DiffPanel diff={run.result?.diff ?? null} mode={run.result?.mode} />}
        {tab === 'metrics' && <MetricsPanel metrics={run.result?.metrics ?? {}} mode={run.result?.mode} />}
        {tab === 'history' && (
          <HistoryPanel
            runs={history}
            onOpen={(id) => void openHistoricRun(id)}
            onResume={(r) => void offerResume(r)}
            onRollback={(r) => void offerRollback(r)}
            onRefresh={refreshLatestHistory}
          />
        )}
      </div>
    </>
  );
}

function SchemaPane() {
  const schema = useApp((s) => s.schema);
  const error = useApp((s) => s.schemaError);
  const connectionId = useApp((s) => s.connectionId);
  return (
    <div className="schema-pane">
      {error && <div className="field-error pane-error">{error}</div>}
      <SchemaBrowser
        schema={schema}
        loading={connectionId !== null && schema === null && error === null}
        onRefresh={() => void refreshSchema(true)}
      />
    </div>
  );
}

export function App() {
  return (
    <ReactFlowProvider>
      <div className="app">
        <ProductionBand />
        <Toolbar />
        <NoticeBar />
        <MainArea
          left={
            <>
              <Palette />
              <SchemaPane />
            </>
          }
          canvas={<Canvas />}
          bottom={<BottomPanel />}
          right={<RightColumn />}
        />
        <Dialogs />
        <CommandPalette />
      </div>
    </ReactFlowProvider>
  );
}
