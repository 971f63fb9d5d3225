// Wires the saved-runs page: the list, and the comparison of the ticked runs. No drawing here.

import { getOptions } from '../api.js';
import { say } from '../i18n.js';
import { runsApi } from './api.js';
import { BoundaryGrid } from './boundary-grid.js';
import { CompareChart } from './compare-chart.js';
import { ConfigDiff } from './config-diff.js';
import { rememberRun } from './owner.js';
import { MAX_COMPARED } from './palette.js';
import { RunsTable } from './runs-table.js';

const $ = (id) => document.getElementById(id);
const PAGE = 20;

class RunsPage {
  constructor(options) {
    this.offset = 0;
    this.cache = new Map(); // id → {run, boundary}: a run never changes once saved
    this.table = new RunsTable($('runs-table'), {
      datasets: options.datasets,
      onSelect: (ids) => this.compare(ids),
      onDelete: (id) => this.remove(id),
      onPage: (offset) => { this.offset = offset; this.load(); },
    });
    this.chart = new CompareChart($('runs-curves'));
    this.boundaries = new BoundaryGrid($('runs-boundaries'));
    this.diff = new ConfigDiff($('runs-diff'));
    this.$compare = $('runs-compare');
    this.$compare.hidden = true;
  }

  async load() {
    this.table.update(await runsApi.list(this.offset, PAGE));
  }

  async remove(id) {
    try {
      await runsApi.remove(id);
      rememberRun(id, false);
      this.table.selected.delete(id);
      await this.load();
      await this.compare([...this.table.selected]);
    } catch (e) {
      this.table.say('runs.delete-failed-reason', { reason: e.message });
    }
  }

  async compare(ids) {
    this._shown = ids.join();
    if (ids.length < 2 || ids.length > MAX_COMPARED) {
      this.$compare.hidden = true;
      if (ids.length) this.table.say(ids.length < 2 ? 'runs.pick-more' : 'runs.pick-fewer');
      return;
    }
    this.table.say();
    const runs = await Promise.all(ids.map((id) => this._fetch(id)));
    if (this._shown !== ids.join()) return; // the ticks changed meanwhile
    const label = (run) => run.name || `${say('runs.untitled')} ${run.id.slice(0, 6)}`;
    const named = runs.map(({ run, boundary }) => ({ ...run, name: label(run), boundary }));
    this.chart.update(named);
    this.boundaries.update(named);
    this.diff.update(named);
    this.$compare.hidden = false;
  }

  async _fetch(id) {
    if (!this.cache.has(id)) {
      const both = Promise.all([runsApi.get(id), runsApi.boundary(id)]);
      this.cache.set(id, both.then(([run, boundary]) => ({ run, boundary })).catch((e) => {
        this.cache.delete(id); // a failure is not kept: ticking again retries
        throw e;
      }));
    }
    return this.cache.get(id);
  }
}

getOptions().then((options) => new RunsPage(options).load()).catch((e) => {
  $('runs-table').textContent = say('runs.open-failed-reason', { reason: e.message });
  throw e;
});
