//! The UI: the episode list (left), status and help (top left of the view), the timeline
//! (bottom), and the side panel (right) with the instruction, the planner's thought and action
//! at this step, the agent's rendered view and the objects it sees.

use crate::camera_control::ViewCamera;
use crate::episodes::{EpisodeList, SortKey};
use crate::picking::Picked;
use crate::state::{Episodes, Loaded, Messages, Walkable};
use crate::step_log::outcome_text;
use crate::track::describe_move;
use crate::view_render::{AgentView, VIEW_SIZE};
use bevy::camera::Viewport;
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use std::fmt::Write as _;
use waymark_core::{MetricDef, MetricValue, Unit};

/// Width of the episode list, pixels.
const LIST_W: f32 = 300.0;
/// Width of the side panel, pixels.
const SIDE_W: f32 = 340.0;
/// Height of the timeline, pixels.
const TIMELINE_H: f32 = 16.0;

/// Which panels take screen space (for picking and scrubbing).
#[derive(Resource, Default, Debug)]
pub struct PanelLayout {
    /// Whether the episode list is shown.
    pub list: bool,
    /// Whether the side panel is shown.
    pub side: bool,
    /// Whether the help text is shown.
    pub help: bool,
}

/// The part of a window of `size` (logical pixels) that the 3D view gets: what the episode
/// list, the side panel and the timeline leave free.
pub fn view_rect(layout: &PanelLayout, size: Vec2) -> Rect {
    let left = if layout.list { LIST_W } else { 0.0 };
    let right = if layout.side { SIDE_W } else { 0.0 };
    let bottom = if layout.side { TIMELINE_H } else { 0.0 };
    Rect::new(
        left.min(size.x - 1.0).max(0.0),
        0.0,
        (size.x - right).max(left + 1.0).min(size.x),
        (size.y - bottom).max(1.0),
    )
}

/// Whether a window point lies over a panel rather than the 3D view.
pub fn over_panel(layout: &PanelLayout, window: &Window, cursor: Vec2) -> bool {
    !view_rect(layout, window.size()).contains(cursor)
}

#[derive(Component)]
pub(crate) struct ListPanel;
#[derive(Component)]
pub(crate) struct ListText;
#[derive(Component)]
pub(crate) struct SidePanel;
#[derive(Component)]
pub(crate) struct InfoText;
#[derive(Component)]
pub(crate) struct StepText;
#[derive(Component)]
pub(crate) struct ViewImage;
#[derive(Component)]
pub(crate) struct StatusText;
#[derive(Component)]
pub(crate) struct HelpText;
#[derive(Component)]
pub(crate) struct Timeline;
#[derive(Component)]
pub(crate) struct TimelineFill;
/// The box of the household map or the voxel view (shown while a household or voxel episode
/// is open).
#[derive(Component)]
pub(crate) struct HouseholdMapBox;
/// The household map's or the voxel view's image.
#[derive(Component)]
pub(crate) struct HouseholdMap;

/// A PNG as an image for a UI node (nearest-neighbour sampling); `None` when it does not decode.
pub(crate) fn png_image(png: &[u8]) -> Option<Image> {
    Image::from_buffer(
        png,
        bevy::image::ImageType::Extension("png"),
        bevy::image::CompressedImageFormats::NONE,
        true,
        bevy::image::ImageSampler::nearest(),
        bevy::asset::RenderAssetUsages::RENDER_WORLD,
    )
    .ok()
}

/// Shows `image` in the replay's image node (the household map or the voxel view).
pub(crate) fn show_replay_image(
    image: Image,
    images: &mut Assets<Image>,
    nodes: &mut Query<&mut ImageNode, With<HouseholdMap>>,
) {
    let handle = images.add(image);
    for mut node in nodes {
        node.image = handle.clone();
    }
}

/// The title shown in the status line.
#[derive(Resource, Default)]
pub struct Title(pub String);

const HELP: &str = "mouse: left-drag orbit, right-drag pan, wheel zoom, click pick | F free fly \
(WASD QE, right-drag look)\n1 graph/walkable  2 agent  3 trajectory  4 goal  5 visible objects  \
C ceiling  H help\nlist: Up/Down PageUp/PageDown, Enter open, O sort column, I invert | replay: \
Space play, Left/Right step, Home/End, click timeline\nlive: L start/stop, P planner, N planner \
step, R auto-run, arrows drive, X stop";

fn panel_bg() -> BackgroundColor {
    BackgroundColor(Color::srgb(0.05, 0.05, 0.07))
}

fn small() -> TextFont {
    TextFont::from_font_size(13.0)
}

/// Spawns the UI tree.
pub fn spawn_panels(mut commands: Commands) {
    commands
        .spawn(Node {
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Row,
            ..default()
        })
        .with_children(|root| {
            root.spawn((
                Node {
                    width: px(LIST_W),
                    flex_shrink: 0.0,
                    height: percent(100),
                    padding: UiRect::all(px(6)),
                    overflow: Overflow::clip(),
                    ..default()
                },
                panel_bg(),
                ListPanel,
            ))
            .with_child((Text::new(""), small(), ListText));
            root.spawn(Node {
                flex_grow: 1.0,
                min_width: px(0),
                overflow: Overflow::clip(),
                height: percent(100),
                flex_direction: FlexDirection::Column,
                justify_content: JustifyContent::SpaceBetween,
                ..default()
            })
            .with_children(|middle| {
                middle.spawn((
                    Node {
                        padding: UiRect::all(px(6)),
                        align_self: AlignSelf::FlexStart,
                        max_width: percent(100),
                        ..default()
                    },
                    // Readable over any part of the scene.
                    BackgroundColor(Color::srgba(0.05, 0.05, 0.07, 0.6)),
                    children![(Text::new(""), small(), StatusText)],
                ));
                // Household replays: the map fills the space between status and timeline.
                middle
                    .spawn((
                        Node {
                            flex_grow: 1.0,
                            min_height: px(0),
                            display: Display::None,
                            ..default()
                        },
                        BackgroundColor(Color::srgb_u8(24, 24, 28)),
                        HouseholdMapBox,
                    ))
                    .with_child((
                        Node {
                            width: percent(100),
                            height: percent(100),
                            ..default()
                        },
                        ImageNode {
                            image_mode: NodeImageMode::Stretch,
                            ..default()
                        },
                        HouseholdMap,
                    ));
                middle
                    .spawn(Node {
                        flex_direction: FlexDirection::Column,
                        ..default()
                    })
                    .with_children(|bottom| {
                        bottom.spawn((
                            Node {
                                padding: UiRect::all(px(6)),
                                ..default()
                            },
                            children![(
                                Text::new(HELP),
                                TextFont::from_font_size(12.0),
                                TextColor(Color::srgb(0.85, 0.85, 0.85)),
                                HelpText
                            )],
                        ));
                        bottom
                            .spawn((
                                Node {
                                    width: percent(100),
                                    height: px(TIMELINE_H),
                                    ..default()
                                },
                                BackgroundColor(Color::srgb(0.2, 0.2, 0.25)),
                                Timeline,
                            ))
                            .with_child((
                                Node {
                                    width: percent(0),
                                    height: percent(100),
                                    ..default()
                                },
                                BackgroundColor(Color::srgb(0.9, 0.9, 0.95)),
                                TimelineFill,
                            ));
                    });
            });
            root.spawn((
                Node {
                    width: px(SIDE_W),
                    flex_shrink: 0.0,
                    height: percent(100),
                    flex_direction: FlexDirection::Column,
                    padding: UiRect::all(px(8)),
                    row_gap: px(6),
                    overflow: Overflow::clip(),
                    ..default()
                },
                panel_bg(),
                SidePanel,
            ))
            .with_children(|side| {
                side.spawn((Text::new(""), small(), InfoText));
                side.spawn((
                    Node {
                        width: px(VIEW_SIZE.0 as f32),
                        height: px(VIEW_SIZE.1 as f32),
                        flex_shrink: 0.0,
                        ..default()
                    },
                    BackgroundColor(Color::BLACK),
                    ImageNode::default(),
                    ViewImage,
                ));
                side.spawn((Text::new(""), small(), StepText));
            });
        });
}

fn shown(on: bool) -> Display {
    if on { Display::Flex } else { Display::None }
}

/// Shows and hides panels (the list and side panel when there are episodes, help on `H`) and
/// fits the 3D view into the space they leave.
#[allow(clippy::type_complexity)]
pub fn layout_panels(
    keys: Res<ButtonInput<KeyCode>>,
    episodes: Res<Episodes>,
    windows: Query<&Window, With<PrimaryWindow>>,
    mut cameras: Query<&mut Camera, With<ViewCamera>>,
    mut layout: ResMut<PanelLayout>,
    mut nodes: ParamSet<(
        Query<&mut Node, With<ListPanel>>,
        Query<&mut Node, With<SidePanel>>,
        Query<&mut Node, With<Timeline>>,
        Query<&mut Node, With<HouseholdMapBox>>,
        Query<&mut Node, With<ViewImage>>,
    )>,
    mut help: Query<&mut Visibility, With<HelpText>>,
) {
    if keys.just_pressed(KeyCode::KeyH) {
        layout.help = !layout.help;
    }
    layout.list = !episodes.list.entries.is_empty();
    layout.side = layout.list || episodes.live.is_some();
    for mut node in &mut nodes.p0() {
        node.display = shown(layout.list);
    }
    for mut node in &mut nodes.p1() {
        node.display = shown(layout.side);
    }
    for mut node in &mut nodes.p2() {
        node.display = shown(layout.side);
    }
    for mut node in &mut nodes.p3() {
        node.display = shown(
            episodes.household.is_some()
                || episodes.voxel.is_some()
                || episodes.grounding.is_some(),
        );
    }
    // A household agent has no rendered view: its map is the view; a voxel agent's view is
    // the image; a grounding episode is its map.
    for mut node in &mut nodes.p4() {
        node.display = shown(!episodes.replays_in_image());
    }
    for mut v in &mut help {
        *v = if layout.help {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
    }
    let Ok(window) = windows.single() else {
        return;
    };
    let rect = view_rect(&layout, window.size());
    let scale = window.scale_factor();
    let physical = UVec2::new(window.physical_width(), window.physical_height());
    let position = (rect.min * scale)
        .as_uvec2()
        .min(physical.saturating_sub(UVec2::ONE));
    let size = (rect.size() * scale)
        .as_uvec2()
        .max(UVec2::ONE)
        .min(physical.saturating_sub(position).max(UVec2::ONE));
    let viewport = Viewport {
        physical_position: position,
        physical_size: size,
        ..default()
    };
    for mut camera in &mut cameras {
        let changed = camera.viewport.as_ref().is_none_or(|v| {
            v.physical_position != viewport.physical_position
                || v.physical_size != viewport.physical_size
        });
        if changed {
            camera.viewport = Some(viewport.clone());
        }
    }
}

/// Fills the list, status, side panel and timeline.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub fn update_panels(
    loaded: Res<Loaded>,
    episodes: Res<Episodes>,
    picked: Res<Picked>,
    view: Res<AgentView>,
    messages: Res<Messages>,
    title: Res<Title>,
    mut texts: ParamSet<(
        Query<&mut Text, With<ListText>>,
        Query<&mut Text, With<StatusText>>,
        Query<&mut Text, With<InfoText>>,
        Query<&mut Text, With<StepText>>,
    )>,
    mut image: Query<&mut ImageNode, With<ViewImage>>,
    mut fill: Query<&mut Node, With<TimelineFill>>,
) {
    for mut t in &mut texts.p0() {
        set(&mut t, list_text(&episodes));
    }
    for mut t in &mut texts.p1() {
        set(&mut t, status_text(&loaded, &picked, &messages, &title.0));
    }
    for mut t in &mut texts.p2() {
        set(&mut t, info_text(&episodes));
    }
    for mut t in &mut texts.p3() {
        set(&mut t, step_text(&loaded, &episodes, &view));
    }
    for mut node in &mut image {
        let handle = view.image.clone().unwrap_or_default();
        if node.image != handle {
            node.image = handle;
        }
    }
    let progress = if episodes.live.is_some() {
        1.0
    } else {
        let last = episodes.last_step();
        if last == 0 {
            1.0
        } else {
            episodes.step as f32 / last as f32
        }
    };
    for mut node in &mut fill {
        node.width = percent(progress * 100.0);
    }
}

/// Writes only on change, so Bevy does not re-lay out text every frame.
fn set(text: &mut Mut<Text>, value: String) {
    if text.0 != value {
        text.0 = value;
    }
}

/// Metric columns of the episode list (each 5 characters wide, so rows fit the list).
const LIST_COLUMNS: usize = 4;

/// The list's metric columns, in the task's order: the sort column's metric and the task's
/// official metrics, up to [`LIST_COLUMNS`].
fn list_columns(list: &EpisodeList) -> Vec<&'static MetricDef> {
    let sorted = match list.sort {
        Some(SortKey::Metric(name)) => list.metric_def(name),
        _ => None,
    };
    let mut columns: Vec<&'static MetricDef> = sorted.into_iter().collect();
    for def in list.metrics.iter().filter(|d| d.official) {
        if columns.len() >= LIST_COLUMNS {
            break;
        }
        if !columns.iter().any(|c| c.name == def.name) {
            columns.push(def);
        }
    }
    columns.sort_by_key(|c| list.metrics.iter().position(|d| d.name == c.name));
    columns
}

/// A metric value as its unit is best read; `with_unit` adds ` m` to lengths.
fn metric_text(def: Option<&MetricDef>, value: MetricValue, with_unit: bool) -> String {
    match (value, def.map(|d| d.unit)) {
        (MetricValue::Count(n), _) => n.to_string(),
        (MetricValue::Real(x), Some(Unit::Count)) => format!("{x:.0}"),
        (MetricValue::Real(x), Some(Unit::Metres)) if with_unit => format!("{x:.2} m"),
        (MetricValue::Real(x), Some(Unit::Metres)) => format!("{x:.1}"),
        (MetricValue::Real(x), _) => format!("{x:.2}"),
    }
}

fn list_text(episodes: &Episodes) -> String {
    let list = &episodes.list;
    let mut out = String::new();
    let sort = list.sort.unwrap_or(SortKey::Index);
    let _ = writeln!(
        out,
        "{} episodes, by {} {}",
        list.entries.len(),
        sort.name(),
        if list.descending { "desc" } else { "asc" }
    );
    if let Some(m) = &list.manifest {
        let _ = writeln!(out, "{} / {} ({})", m.task, m.planner, m.episodes_file);
    }
    let columns = list_columns(list);
    let mut header = "  id        ".to_string();
    for c in &columns {
        let name: String = c.name.chars().take(4).collect();
        let _ = write!(header, " {name:>4}");
    }
    let _ = writeln!(out, "{header}");
    let rows = 40usize;
    let first = list.cursor.saturating_sub(rows / 2);
    for (pos, &i) in list.order.iter().enumerate().skip(first).take(rows) {
        let Some(e) = list.entries.get(i) else {
            continue;
        };
        let mark = match (pos == list.cursor, list.open == Some(i)) {
            (true, true) => ">*",
            (true, false) => "> ",
            (false, true) => " *",
            (false, false) => "  ",
        };
        // Rows fit the list's width (34 characters) so none wraps.
        let id: String = e.id.chars().take(10).collect();
        match &e.record {
            Some(r) => {
                let mut row = format!("{mark}{id:<10}");
                for c in &columns {
                    let cell = r
                        .metrics
                        .get(c.name)
                        .map_or_else(|| "-".to_string(), |v| metric_text(Some(c), v, false));
                    let _ = write!(row, " {cell:>4}");
                }
                let _ = writeln!(out, "{row}");
            }
            None => {
                let _ = writeln!(out, "{mark}{id:<10} {}", e.scan);
            }
        }
    }
    out
}

fn status_text(loaded: &Loaded, picked: &Picked, messages: &Messages, title: &str) -> String {
    let mut out = format!("{title}  [{}]", loaded.scan.name);
    if let Some(scene) = &loaded.scan.scene {
        let kind = if scene.mesh.is_point_cloud() {
            format!("{} points", scene.mesh.positions_m.len())
        } else {
            format!("{} triangles", scene.mesh.triangles.len())
        };
        let _ = write!(out, "  {kind}");
    }
    if let Some(graph) = &loaded.scan.graph {
        let _ = write!(out, "  graph: {} viewpoints", graph.len());
    }
    match &loaded.walkable {
        Walkable::Building(_) => out.push_str("  walkable area: building..."),
        Walkable::Ready(nav) => {
            let _ = write!(out, "  walkable: {:.1} m2", nav.grid.area_m2());
        }
        Walkable::Failed(e) => {
            let _ = write!(out, "  walkable: none ({e})");
        }
        Walkable::NotStarted => {}
    }
    let label = |id: u32| {
        loaded
            .scan
            .scene
            .as_ref()
            .and_then(|s| s.labels.get(&id).cloned())
            .unwrap_or_else(|| "unlabelled".into())
    };
    if let Some(id) = picked.hovered {
        let _ = write!(out, "\nhover: object {id} ({})", label(id));
    } else if let Some(p) = picked.point_m {
        let _ = write!(out, "\nhover: ({:.2}, {:.2}, {:.2}) m", p.x, p.y, p.z);
    }
    if let Some(id) = picked.selected {
        let _ = write!(out, "\nselected: object {id} ({})", label(id));
    }
    for m in &messages.0 {
        let _ = write!(out, "\n! {m}");
    }
    out
}

fn info_text(episodes: &Episodes) -> String {
    let Some(entry) = episodes.list.open_entry() else {
        return "no episode open (Enter opens the highlighted one)".into();
    };
    let mut out = format!("{}  ({})\n", entry.id, entry.scan);
    if let Some(r) = &entry.record {
        // The task's metrics in its order, then any others the record holds.
        let defined = episodes.list.metrics.iter().map(|d| d.name);
        let others = r
            .metrics
            .iter()
            .map(|(name, _)| name)
            .filter(|name| episodes.list.metric_def(name).is_none());
        let mut line: Vec<String> = defined
            .chain(others)
            .filter_map(|name| {
                let value = r.metrics.get(name)?;
                let def = episodes.list.metric_def(name);
                Some(format!("{name} {}", metric_text(def, value, true)))
            })
            .collect();
        line.push(format!("end {}", r.end.as_str()));
        let _ = writeln!(out, "{}", line.join("  "));
        if let Some(e) = &r.error {
            let _ = writeln!(out, "error: {e}");
        }
    }
    let instruction = entry.instruction().unwrap_or("(instruction unknown)");
    let short: String = instruction.chars().take(600).collect();
    let _ = write!(out, "\n{short}");
    out
}

fn step_text(loaded: &Loaded, episodes: &Episodes, view: &AgentView) -> String {
    let mut out = String::new();
    let graph = loaded.scan.graph.as_deref();
    if let Some(live) = &episodes.live {
        let _ = writeln!(
            out,
            "LIVE ({}{}) step {}{}",
            live.planner_name,
            if episodes.live_auto { ", auto" } else { "" },
            live.poses.len().saturating_sub(1),
            if live.done { " (ended)" } else { "" }
        );
        for a in live.actions.iter().rev().take(6) {
            let _ = writeln!(out, "  {a}");
        }
    } else if let Some(replay) = &episodes.grounding {
        let _ = writeln!(out, "{}", replay.text(episodes.step));
        for entry in episodes.step_log.get(episodes.step).iter().take(3) {
            if let Some(thought) = &entry.thought {
                let thought: String = thought.chars().take(280).collect();
                let _ = writeln!(out, "thought: {thought}");
            }
        }
    } else if let Some(replay) = &episodes.voxel {
        let _ = writeln!(out, "{}", replay.text);
        for entry in episodes.step_log.get(episodes.step).iter().take(3) {
            if let Some(thought) = &entry.thought {
                let thought: String = thought.chars().take(280).collect();
                let _ = writeln!(out, "thought: {thought}");
            }
        }
    } else if episodes.is_household() && episodes.list.open.is_some() {
        let _ = writeln!(
            out,
            "{}",
            crate::household::step_text(
                episodes.household.as_ref(),
                episodes.household_attempts(),
                episodes.step,
                episodes.playing,
            )
        );
        for entry in episodes.step_log.get(episodes.step).iter().take(3) {
            if let Some(thought) = &entry.thought {
                let thought: String = thought.chars().take(280).collect();
                let _ = writeln!(out, "thought: {thought}");
            }
        }
    } else if !episodes.track.poses.is_empty() {
        let (step, last) = (episodes.step, episodes.last_step());
        let _ = write!(
            out,
            "step {step}/{last}{}",
            if episodes.playing { " (playing)" } else { "" }
        );
        let poses = &episodes.track.poses;
        let action = match (poses.get(step), poses.get(step + 1)) {
            (Some(a), Some(b)) => describe_move(graph, a, b),
            _ => "end".to_string(),
        };
        let _ = writeln!(out, "  next: {action}");
        for entry in episodes.step_log.get(step).iter().take(3) {
            if let Some(thought) = &entry.thought {
                let thought: String = thought.chars().take(280).collect();
                let _ = writeln!(out, "thought: {thought}");
            }
            if let Some(action) = &entry.action {
                let _ = writeln!(out, "   action: {action}");
            }
            let _ = writeln!(out, "   outcome: {}", outcome_text(entry));
        }
    }
    if !view.visible.is_empty() {
        out.push_str("sees: ");
        let names: Vec<String> = view
            .visible
            .iter()
            .take(8)
            .map(|o| format!("{} #{} {:.1} m", o.label, o.instance, o.dist_m))
            .collect();
        out.push_str(&names.join(", "));
    }
    out
}

/// Clicking or dragging on the timeline scrubs the replay.
pub fn scrub_timeline(
    windows: Query<&Window, With<PrimaryWindow>>,
    buttons: Res<ButtonInput<MouseButton>>,
    layout: Res<PanelLayout>,
    mut episodes: ResMut<Episodes>,
) {
    let Ok(window) = windows.single() else {
        return;
    };
    // A quick click can press and release within one frame: `pressed` alone would miss it.
    let down = buttons.pressed(MouseButton::Left) || buttons.just_pressed(MouseButton::Left);
    if !layout.side || !down || episodes.live.is_some() {
        return;
    }
    let Some(cursor) = window.cursor_position() else {
        return;
    };
    let left = if layout.list { LIST_W } else { 0.0 };
    let right = window.width() - SIDE_W;
    if cursor.y < window.height() - TIMELINE_H || cursor.x < left || cursor.x > right {
        return;
    }
    let fraction = ((cursor.x - left) / (right - left).max(1.0)).clamp(0.0, 1.0);
    let step = (fraction * episodes.last_step() as f32).round() as usize;
    if episodes.step != step {
        episodes.step = step;
        episodes.playing = false;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::episodes::EpisodeEntry;
    use waymark_core::NAV_METRICS;

    fn names(columns: &[&MetricDef]) -> Vec<&'static str> {
        columns.iter().map(|c| c.name).collect()
    }

    #[test]
    fn list_columns_are_official_metrics_and_the_sort_column() {
        // Out of the task's order, with a metric the task does not define.
        let record = serde_json::from_str(
            r#"{"index":0,"instr_id":"12_0","scan":"s","language":null,"ne":2.3,"tl":10.5,
            "sr":1.0,"osr":1.0,"steps":4,"score":7,"end":"stopped","trajectory":[]}"#,
        )
        .unwrap();
        let entry = EpisodeEntry {
            id: "12_0".into(),
            scan: "s".into(),
            spec: None,
            record: Some(record),
            trajectory: None,
        };
        let mut list = EpisodeList::new(vec![entry], None, &NAV_METRICS, None);
        assert_eq!(names(&list_columns(&list)), ["tl", "ne", "sr", "osr"]);
        list.sort = Some(SortKey::Metric("steps"));
        assert_eq!(names(&list_columns(&list)), ["tl", "ne", "sr", "steps"]);
        list.sort = Some(SortKey::Metric("sr"));
        assert_eq!(names(&list_columns(&list)), ["tl", "ne", "sr", "osr"]);
        let episodes = Episodes {
            list,
            ..Default::default()
        };
        let text = list_text(&episodes);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "  id           tl   ne   sr  osr");
        assert_eq!(lines[2], "> 12_0       10.5  2.3 1.00 1.00");
        assert!(lines.iter().all(|l| l.chars().count() <= 34), "{text}");
        let info = {
            let mut e = episodes;
            e.list.open = Some(0);
            info_text(&e)
        };
        assert!(
            info.contains(
                "tl 10.50 m  ne 2.30 m  sr 1.00  osr 1.00  steps 4  score 7  end stopped"
            ),
            "{info}"
        );
    }

    #[test]
    fn metric_values_read_as_their_unit() {
        let steps = NAV_METRICS.iter().find(|d| d.name == "steps");
        let ne = NAV_METRICS.iter().find(|d| d.name == "ne");
        assert_eq!(metric_text(steps, MetricValue::Count(3), true), "3");
        assert_eq!(metric_text(steps, MetricValue::Real(3.0), true), "3");
        assert_eq!(metric_text(ne, MetricValue::Real(1.234), true), "1.23 m");
        assert_eq!(metric_text(ne, MetricValue::Real(1.234), false), "1.2");
        assert_eq!(metric_text(None, MetricValue::Real(0.5), true), "0.50");
    }
}
