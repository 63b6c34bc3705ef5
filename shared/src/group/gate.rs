//! The disclosure gate: the one function, [`disclose`], through which every group figure
//! passes before it is drawn, printed or exported.
//!
//! The rules (an organisation may make them stricter, never looser):
//! 1. A group with fewer than [`MIN_GROUP`] respondents shows no figures at all.
//! 2. A count of 1 to [`MIN_CELL`]` - 1` children is hidden, shown as "<5".
//! 3. No hidden count, no count of a group too small to show, and no small rest of a share
//!    (the children *not* endorsing, when they are 1–4) may be worked out by adding and
//!    subtracting what is shown. The gate checks this with linear algebra over every sum
//!    that ties the cells together (a share and its rest make its base; the groups of a
//!    breakdown make everyone; breakdowns shown together share everyone) and hides more
//!    cells, the least informative first, until nothing protected can be worked out.
//! 4. A share whose base is hidden is hidden too: its percentage could not be read anyway.
//!
//! "Hidden for privacy" ([`Mark::UnderFive`], [`Mark::Privacy`], [`Mark::SmallGroup`]) is
//! one kind of mark; "too few to be reliable" is another, carried by a shown [`Figure`]
//! whose interval is wide ([`Figure::unreliable`]).

use super::interval::{wilson, Interval};
use super::key::{Group, Measure};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The fewest respondents a group must have to show any figure.
pub const MIN_GROUP: u32 = 10;

/// The smallest count shown; smaller non-zero counts are hidden.
pub const MIN_CELL: u32 = 5;

/// Tolerance of the elimination: coefficients are small integers, so anything this close to
/// zero is zero.
const EPSILON: f64 = 1e-9;

/// The rules an organisation applies: at least [`MIN_GROUP`] and [`MIN_CELL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    min_group: u32,
    min_cell: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("a group must hold at least {MIN_GROUP} children; {0} is too few")]
    GroupTooSmall(u32),
    #[error("counts under {MIN_CELL} are always hidden; {0} would show them")]
    CellTooSmall(u32),
}

impl Default for Rules {
    fn default() -> Rules {
        Rules { min_group: MIN_GROUP, min_cell: MIN_CELL }
    }
}

impl Rules {
    /// Stricter rules; looser ones than the defaults are refused.
    pub fn new(min_group: u32, min_cell: u32) -> Result<Rules, RulesError> {
        if min_group < MIN_GROUP {
            return Err(RulesError::GroupTooSmall(min_group));
        }
        if min_cell < MIN_CELL {
            return Err(RulesError::CellTooSmall(min_cell));
        }
        Ok(Rules { min_group, min_cell })
    }

    pub fn min_group(&self) -> u32 {
        self.min_group
    }

    pub fn min_cell(&self) -> u32 {
        self.min_cell
    }
}

/// Why a figure is not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The group has too few respondents to show anything.
    SmallGroup,
    /// The count is 1–4: shown as "<5".
    UnderFive,
    /// Hidden so that a small count elsewhere cannot be worked out.
    Privacy,
}

/// A figure that passed the gate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figure {
    pub count: u32,
    /// The count it is a share of, when it is one.
    pub base: Option<u32>,
    /// The share with its 95% interval, when it is one and the base is not 0.
    pub share: Option<Interval>,
}

impl Figure {
    /// Too few to be reliable: the interval is 30 points wide or more.
    pub fn unreliable(&self) -> bool {
        self.share.is_some_and(|s| s.unreliable())
    }
}

/// What may be shown of one cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shown {
    Figure(Figure),
    Hidden(Mark),
}

/// The index of a cell in a [`Grid`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellId(usize);

impl CellId {
    #[cfg(test)]
    pub(crate) fn for_test(i: usize) -> CellId {
        CellId(i)
    }
}

#[derive(Clone, Debug)]
struct Cell {
    value: u32,
    group: Group,
    /// `None` for a rest: a cell that exists for the sums but is never shown.
    measure: Option<Measure>,
    base: Option<CellId>,
    /// Whether the cell must not be worked out when it is small or in a small group. Group
    /// sizes and the children not asked an item are not protected: they tell nothing a
    /// child answered about a factor.
    protected: bool,
    /// Published elsewhere through the gate (a round's total beside a comparison): the
    /// reader knows it, so it is always shown here and never hidden to protect another.
    known: bool,
}

/// A sum that ties cells together: `Σ coefficient × value = 0`.
#[derive(Clone, Debug)]
pub struct Relation {
    terms: Vec<(CellId, i8)>,
}

impl Relation {
    /// `total = Σ parts`.
    pub(crate) fn sum(total: CellId, parts: &[CellId]) -> Relation {
        Relation::equal(&[total], parts)
    }

    /// `Σ left = Σ right`.
    pub(crate) fn equal(left: &[CellId], right: &[CellId]) -> Relation {
        let terms = left.iter().map(|&c| (c, 1)).chain(right.iter().map(|&c| (c, -1))).collect();
        Relation { terms }
    }
}

/// Counted figures and the sums between them, as [`super::aggregate::aggregate`] makes
/// them. Nothing outside this crate can read a count from it; [`disclose`] is the way out.
#[derive(Clone, Debug, Default)]
pub struct Grid {
    cells: Vec<Cell>,
    relations: Vec<Relation>,
    index: BTreeMap<(Group, Measure), CellId>,
    measures: Vec<Measure>,
}

impl Grid {
    pub(crate) fn shown_cell(&mut self, group: Group, measure: Measure, value: u32) -> CellId {
        let id = CellId(self.cells.len());
        self.index.insert((group.clone(), measure.clone()), id);
        let protected = measure != Measure::Respondents;
        self.cells.push(Cell { value, group, measure: Some(measure), base: None, protected, known: false });
        id
    }

    /// A figure the reader already has from a release that passed the gate on its own:
    /// shown, unprotected here, and never hidden to protect another cell.
    pub(crate) fn known_cell(&mut self, group: Group, measure: Measure, value: u32) -> CellId {
        let id = CellId(self.cells.len());
        self.index.insert((group.clone(), measure.clone()), id);
        self.cells.push(Cell { value, group, measure: Some(measure), base: None, protected: false, known: true });
        id
    }

    /// Marks every cell that `released` shows as known: the reader has it from that
    /// release, which passed the gate on its own, so here it is shown as it is and never
    /// hidden to protect another cell; the gate hides other cells instead. For grids that
    /// split further what another release showed (a unit's age bands beside the units).
    pub fn publish(&mut self, released: &Disclosed) {
        for ((group, measure), id) in &self.index {
            if let Some(Shown::Figure(f)) = released.get(group, measure) {
                let cell = &mut self.cells[id.0];
                if f.count == cell.value {
                    cell.known = true;
                    cell.protected = false;
                }
            }
        }
    }

    /// A rest: never shown; `protected` as for [`Cell::protected`].
    pub(crate) fn hidden_cell(&mut self, group: Group, value: u32, protected: bool) -> CellId {
        let id = CellId(self.cells.len());
        self.cells.push(Cell { value, group, measure: None, base: None, protected, known: false });
        id
    }

    pub(crate) fn set_base(&mut self, part: CellId, base: CellId) {
        self.cells[part.0].base = Some(base);
    }

    pub(crate) fn relate(&mut self, relation: Relation) {
        self.relations.push(relation);
    }

    pub(crate) fn set_measures(&mut self, measures: Vec<Measure>) {
        self.measures = measures;
    }

    /// The groups, everyone first.
    pub fn groups(&self) -> Vec<Group> {
        let mut groups: Vec<Group> = self.index.keys().map(|(g, _)| g.clone()).collect();
        groups.dedup();
        groups
    }

    /// The measures, in the order they were counted.
    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    #[cfg(test)]
    pub(crate) fn cell_count(&self) -> usize {
        self.cells.len()
    }

    #[cfg(test)]
    pub(crate) fn value(&self, id: CellId) -> u32 {
        self.cells[id.0].value
    }

    /// Whether the cell must stay hidden: protected, and small or in a small group.
    #[cfg(test)]
    pub(crate) fn must_not_be_worked_out(&self, id: CellId, rules: &Rules) -> bool {
        let cell = &self.cells[id.0];
        let group_size = self.index.get(&(cell.group.clone(), Measure::Respondents)).map(|r| self.cells[r.0].value);
        cell.protected
            && !self.is_empty(&cell.group)
            && (group_size.is_none_or(|n| n < rules.min_group) || (1..rules.min_cell).contains(&cell.value))
    }

    /// Whether a group has no child at all (no respondent and no unfinished child): an
    /// empty cohort of a comparison. Its counts are all 0 and tell nothing about anyone,
    /// so working them out is no disclosure; it still shows no figures.
    fn is_empty(&self, group: &Group) -> bool {
        let value = |m: Measure| self.index.get(&(group.clone(), m)).map(|id| self.cells[id.0].value);
        value(Measure::Respondents) == Some(0) && value(Measure::Unfinished).unwrap_or(0) == 0
    }

    #[cfg(test)]
    pub(crate) fn relations(&self) -> impl Iterator<Item = &[(CellId, i8)]> {
        self.relations.iter().map(|r| r.terms.as_slice())
    }

    #[cfg(test)]
    pub(crate) fn id(&self, group: &Group, measure: &Measure) -> Option<CellId> {
        self.index.get(&(group.clone(), measure.clone())).copied()
    }
}

/// What the gate lets out of a [`Grid`].
#[derive(Clone, Debug)]
pub struct Disclosed {
    shown: BTreeMap<(Group, Measure), Shown>,
    #[cfg_attr(not(test), allow(dead_code))]
    hidden: Vec<bool>,
    rules: Rules,
}

impl Disclosed {
    /// The cell of `measure` for `group`; `None` when the grid has no such cell.
    pub fn get(&self, group: &Group, measure: &Measure) -> Option<Shown> {
        self.shown.get(&(group.clone(), measure.clone())).copied()
    }

    pub fn rules(&self) -> Rules {
        self.rules
    }

    /// Every cell that may be shown, in group and measure order.
    pub fn cells(&self) -> impl Iterator<Item = (&Group, &Measure, Shown)> {
        self.shown.iter().map(|((g, m), s)| (g, m, *s))
    }

    #[cfg(test)]
    pub(crate) fn is_hidden(&self, id: CellId) -> bool {
        self.hidden[id.0]
    }
}

/// The gate. Every figure of a group picture comes out of here or not at all.
pub fn disclose(grid: &Grid, rules: &Rules) -> Disclosed {
    let n = grid.cells.len();
    let mut mark: Vec<Option<Mark>> = vec![None; n];
    let mut sensitive = vec![false; n];

    // Rule 1: groups too small show nothing, and nothing of them may be worked out.
    let small: BTreeMap<&Group, bool> = grid
        .index
        .iter()
        .filter(|((_, m), _)| *m == Measure::Respondents)
        .map(|((g, _), id)| (g, grid.cells[id.0].value < rules.min_group))
        .collect();
    for (i, cell) in grid.cells.iter().enumerate() {
        if cell.known {
            continue;
        }
        if small.get(&cell.group).copied().unwrap_or(true) {
            mark[i] = Some(Mark::SmallGroup);
            sensitive[i] = cell.protected && !grid.is_empty(&cell.group);
        }
        // Rule 2: small counts, shown or rests, are protected.
        if cell.protected && (1..rules.min_cell).contains(&cell.value) {
            sensitive[i] = true;
            if mark[i].is_none() {
                mark[i] = Some(Mark::UnderFive);
            }
        }
        // A share whose complement in its base is small goes at once (rule 3 would find it).
        let complement = cell.base.map(|b| grid.cells[b.0].value.saturating_sub(cell.value));
        let of_asked = matches!(cell.measure, Some(Measure::Asked(_) | Measure::DomainAsked(_)));
        if cell.protected && !of_asked && complement.is_some_and(|c| (1..rules.min_cell).contains(&c)) {
            mark[i].get_or_insert(Mark::Privacy);
        }
    }
    let components = components(grid);
    // For each component found safe: how many of its cells were hidden then.
    let mut safe: Vec<Option<usize>> = vec![None; components.len()];
    loop {
        // Rule 4: a share of a hidden base is hidden.
        let mut changed = true;
        while changed {
            changed = false;
            for (i, cell) in grid.cells.iter().enumerate() {
                if mark[i].is_none() && !cell.known && cell.base.is_some_and(|b| is_hidden(grid, &mark, b.0)) {
                    mark[i] = Some(Mark::Privacy);
                    changed = true;
                }
            }
        }
        // Rule 3: hide one more cell wherever something protected can be worked out. A
        // component found safe stays safe until a cell of it is hidden.
        let mut hid_more = false;
        for (k, component) in components.iter().enumerate() {
            let fingerprint = component.cells.iter().filter(|&&i| mark[i].is_some()).count();
            if safe[k] == Some(fingerprint) {
                continue;
            }
            let victims = exposed(grid, component, &mark, &sensitive);
            if victims.is_empty() {
                safe[k] = Some(fingerprint);
            }
            for victim in victims {
                mark[victim] = Some(Mark::Privacy);
                hid_more = true;
            }
        }
        if !hid_more {
            break;
        }
    }

    let hidden: Vec<bool> = (0..n).map(|i| is_hidden(grid, &mark, i)).collect();
    let shown = grid
        .index
        .iter()
        .map(|(key, id)| {
            let cell = &grid.cells[id.0];
            let shown = match mark[id.0] {
                Some(m) => Shown::Hidden(m),
                None => {
                    let base = cell.base.map(|b| grid.cells[b.0].value);
                    let share = base.and_then(|b| wilson(cell.value, b));
                    Shown::Figure(Figure { count: cell.value, base, share })
                }
            };
            (key.clone(), shown)
        })
        .collect();
    Disclosed { shown, hidden, rules: *rules }
}

/// Rests are never shown; other cells are hidden when marked.
fn is_hidden(grid: &Grid, mark: &[Option<Mark>], i: usize) -> bool {
    grid.cells[i].measure.is_none() || mark[i].is_some()
}

/// The cells tied together by relations, each set with the relations among them.
struct Component {
    cells: Vec<usize>,
    relations: Vec<usize>,
}

fn components(grid: &Grid) -> Vec<Component> {
    let mut parent: Vec<usize> = (0..grid.cells.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for r in &grid.relations {
        let first = r.terms[0].0 .0;
        for &(c, _) in &r.terms[1..] {
            let (a, b) = (root(&mut parent, first), root(&mut parent, c.0));
            parent[a] = b;
        }
    }
    let mut by_root: BTreeMap<usize, Component> = BTreeMap::new();
    for i in 0..grid.cells.len() {
        let r = root(&mut parent, i);
        by_root.entry(r).or_insert_with(|| Component { cells: Vec::new(), relations: Vec::new() }).cells.push(i);
    }
    for (k, rel) in grid.relations.iter().enumerate() {
        let r = root(&mut parent, rel.terms[0].0 .0);
        by_root.get_mut(&r).expect("every cell has a root").relations.push(k);
    }
    by_root.into_values().filter(|c| !c.relations.is_empty()).collect()
}

/// Shown cells to hide because protected cells of `component` can be worked out from the
/// shown ones: for each such cell, the least informative of the nearest shown cells it is
/// tied to (sharing a sum with it, or failing that with the hidden cells it is tied to,
/// outwards), and only when there is none, any shown cell of the component. Empty when nothing protected can be
/// worked out. Hiding one cell per exposed cell at once, rather than one per round, may
/// hide a little more than the fewest possible; it never hides less, since the caller
/// checks again until nothing is exposed.
fn exposed(grid: &Grid, component: &Component, mark: &[Option<Mark>], sensitive: &[bool]) -> Vec<usize> {
    let unknowns: Vec<usize> = component.cells.iter().copied().filter(|&i| is_hidden(grid, mark, i)).collect();
    if !unknowns.iter().any(|&i| sensitive[i]) {
        return Vec::new();
    }
    let column: HashMap<usize, usize> = unknowns.iter().enumerate().map(|(col, &cell)| (cell, col)).collect();
    let rows: Vec<SparseRow> = component
        .relations
        .iter()
        .map(|&k| {
            let mut row = SparseRow::new();
            for &(c, coefficient) in &grid.relations[k].terms {
                if let Some(&col) = column.get(&c.0) {
                    *row.entry(col).or_insert(0.0) += f64::from(coefficient);
                }
            }
            row.retain(|_, x| x.abs() > EPSILON);
            row
        })
        .filter(|row| !row.is_empty())
        .collect();
    let worked_out: BTreeSet<usize> =
        determined_columns(rows).into_iter().map(|col| unknowns[col]).filter(|&cell| sensitive[cell]).collect();
    // Known cells stay: hiding them here would hide nothing.
    let hideable = |c: &usize| !is_hidden(grid, mark, *c) && !grid.cells[*c].known;
    // The relations each cell of the component is in.
    let mut of_cell: HashMap<usize, Vec<usize>> = HashMap::new();
    for &k in &component.relations {
        for (c, _) in &grid.relations[k].terms {
            of_cell.entry(c.0).or_default().push(k);
        }
    }
    let mut victims = BTreeSet::new();
    for &cell in &worked_out {
        // The nearest shown cells the worked-out value flows from: those sharing a sum with
        // it, or failing that (every such cell is hidden) those sharing one with a hidden
        // cell it is tied to, and so on outwards through hidden cells.
        let mut seen: BTreeSet<usize> = BTreeSet::from([cell]);
        let mut layer = vec![cell];
        let mut pool = Vec::new();
        while pool.is_empty() && !layer.is_empty() {
            let mut next = Vec::new();
            for c in layer {
                for &k in of_cell.get(&c).map_or(&[][..], Vec::as_slice) {
                    for (other, _) in &grid.relations[k].terms {
                        let other = other.0;
                        if hideable(&other) {
                            pool.push(other);
                        } else if is_hidden(grid, mark, other) && seen.insert(other) {
                            next.push(other);
                        }
                    }
                }
            }
            layer = next;
        }
        if pool.is_empty() {
            pool = component.cells.iter().copied().filter(hideable).collect();
        }
        victims.extend(pool.into_iter().min_by_key(|&c| (cost(&grid.cells[c]), c)));
    }
    victims.into_iter().collect()
}

/// How much hiding a cell costs the reader: a group's size most (every share of the group
/// would go), then everyone's figures, then a base (its shares go with it), then larger
/// counts before smaller.
fn cost(cell: &Cell) -> (u8, u8, u8, u32) {
    let size = u8::from(matches!(cell.measure, Some(Measure::Respondents)));
    let everyone = u8::from(cell.group == Group::Everyone);
    let base =
        u8::from(matches!(cell.measure, Some(Measure::Asked(_) | Measure::Endorsed(_) | Measure::DomainAsked(_))));
    (size, everyone, base, cell.value)
}

/// One equation over the unknowns: column → coefficient, only the non-zero ones.
type SparseRow = BTreeMap<usize, f64>;

/// Brings `rows` to reduced row echelon form, one equation at a time, and returns the
/// columns whose value the equations fix: a pivot column whose row has no other non-zero
/// entry. The rows are sparse (a sum ties a handful of cells), so each is kept as a map
/// and only the rows that hold a pivot's column are touched when it is eliminated.
fn determined_columns(rows: Vec<SparseRow>) -> Vec<usize> {
    // Pivot column → its row, fully reduced against every other pivot.
    let mut pivots: BTreeMap<usize, SparseRow> = BTreeMap::new();
    // Column → the pivots whose rows hold it (besides their own pivot column).
    let mut holders: HashMap<usize, BTreeSet<usize>> = HashMap::new();
    for mut row in rows {
        // Take out every pivot column the new row holds.
        while let Some((&col, &f)) = row.iter().find(|(col, _)| pivots.contains_key(col)) {
            let pivot = &pivots[&col];
            for (&c, &x) in pivot {
                let entry = row.entry(c).or_insert(0.0);
                *entry -= f * x;
                if entry.abs() <= EPSILON {
                    row.remove(&c);
                }
            }
            row.remove(&col);
        }
        // What is left fixes a new pivot: the entry of largest size, for stability.
        let Some((&col, &p)) = row.iter().max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()).then(b.0.cmp(a.0))) else {
            continue;
        };
        for x in row.values_mut() {
            *x /= p;
        }
        // Take the new pivot's column out of every earlier pivot row that holds it.
        for other in holders.remove(&col).unwrap_or_default() {
            let Some(other_row) = pivots.get_mut(&other) else { continue };
            let Some(f) = other_row.remove(&col) else { continue };
            for (&c, &x) in &row {
                if c == col {
                    continue;
                }
                let entry = other_row.entry(c).or_insert(0.0);
                *entry -= f * x;
                if entry.abs() <= EPSILON {
                    other_row.remove(&c);
                    if let Some(h) = holders.get_mut(&c) {
                        h.remove(&other);
                    }
                } else {
                    holders.entry(c).or_default().insert(other);
                }
            }
        }
        for &c in row.keys() {
            if c != col {
                holders.entry(c).or_default().insert(col);
            }
        }
        pivots.insert(col, row);
    }
    pivots.into_iter().filter(|(col, row)| row.keys().all(|c| c == col)).map(|(col, _)| col).collect()
}
