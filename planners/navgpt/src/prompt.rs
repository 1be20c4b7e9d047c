//! NavGPT's prompt templates and how they are filled for each LLM call.
//!
//! The whole prompt goes out as one user message. Its placeholders are `{tool_descriptions}`,
//! `{tool_names}`, `{action_plan}` (the instruction), `{init_observation}` and
//! `{agent_scratchpad}`; the last line, `Thought: I should start navigation according to the
//! instruction, {agent_scratchpad}`, makes the model continue NavGPT's opening thought.

pub use waymark_planner::PromptLanguage;

use crate::parser::TOOL_NAME;

/// Which NavGPT template to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptVariant {
    /// `VLN_GPT4_PROMPT`.
    Gpt4,
    /// `VLN_GPT35_PROMPT`.
    Gpt35,
}

impl PromptVariant {
    /// NavGPT's choice: [`PromptVariant::Gpt4`] only for the exact model name `gpt-4`
    /// (`gpt-4o`, `gpt-4-0613`… get the GPT-3.5 template).
    pub fn for_model(model: &str) -> Self {
        if model == "gpt-4" {
            PromptVariant::Gpt4
        } else {
            PromptVariant::Gpt35
        }
    }
}

/// The stop sequences NavGPT passes with every LLM call.
pub const STOP_SEQUENCES: [&str; 2] = ["\nObservation:", "\n\tObservation:"];

/// NavGPT keeps only this many trailing characters of the scratchpad.
pub const MAX_SCRATCHPAD_CHARS: usize = 7000;

/// The last [`MAX_SCRATCHPAD_CHARS`] characters (Unicode scalar values, like Python's code
/// points) of `s`, cut blindly as NavGPT does, possibly mid-word.
pub fn truncate_scratchpad(s: &str) -> &str {
    match s.char_indices().rev().nth(MAX_SCRATCHPAD_CHARS - 1) {
        Some((start, _)) => &s[start..],
        None => s,
    }
}

// NavGPT (MIT, © 2023 Gengze Zhou, Yicong Hong, Qi Wu), nav_src/prompt/planner_prompt.py
macro_rules! make_action_tool_description {
    () => {
        concat!(
            "Can be used to move to next adjacent viewpoint.\n",
            "The input to this tool should be a viewpoint ID string of the next viewpoint you wish to visit. For example:\n",
            "Action: action_maker\n",
            "Action Input: \"4a153b13a3f6424784cb8e5dabbb3a2c\".",
        )
    };
}

/// NavGPT's `MAKE_ACTION_TOOL_DESCRIPTION`.
pub const MAKE_ACTION_TOOL_DESCRIPTION: &str = make_action_tool_description!();

/// The `{tool_descriptions}` value: `action_maker: ` and the tool description.
pub const TOOL_DESCRIPTIONS: &str = concat!("action_maker: ", make_action_tool_description!());

// NavGPT (MIT, © 2023 Gengze Zhou, Yicong Hong, Qi Wu), nav_src/prompt/planner_prompt.py
/// NavGPT's `VLN_GPT4_PROMPT`, used with the model name `gpt-4`.
pub const VLN_GPT4_PROMPT: &str = concat!(
    "You are an intelligent embodied agent that follows an instruction to navigate in an indoor environment. Your task is to move among the static viewpoints (positions) of a pre-defined graph of the environment, and try to reach the target viewpoint as described by the given instruction with the least steps. \n",
    "\n",
    "At the beginning of the navigation, you will be given an instruction of a trajectory which describes all observations and the action you should take at each step.\n",
    "During navigation, at each step, you will be at a specific viewpoint and receive the history of previous steps you have taken (containing your \"Thought\", \"Action\", \"Action Input\" and \"Observation\" after the \"Begin!\" sign) and the observation of current viewpoint (including scene descriptions, objects, and navigable directions/distances within 3 meters).\n",
    "Orientations range from -180 to 180 degrees: \"0\" signifies forward, \"right 90\" rightward, \"right (or left) 180\" backward, and \"left 90\" leftward. \n",
    "\n",
    "You make actions by selecting navigable viewpoints to reach the destination. You are encouraged to explore the environment while avoiding revisiting viewpoints by comparing current navigable and previously visited IDs in previous \"Action Input\". The ultimate goal is to stop within 3 meters of the destination in the instruction. If destination visible but the target object is not detected within 3 meters, move closer.\n",
    "At each step, you should consider:\n",
    "(1) According to Current Viewpoint observation and History, have you reached the destination?\n",
    "If yes you should stop, output the 'Final Answer: Finished!' to stop.\n",
    "If not you should continue:\n",
    "    (2) Consider where you are on the trajectory and what should be the next viewpoint to navigate according to the instruction.\n",
    "    use the action_maker tool, input the next navigable viewpoint ID to move to that location.\n",
    "\n",
    "Show your reasoning in the Thought section.\n",
    "\n",
    "Here are the descriptions of these tools:\n",
    "{tool_descriptions}\n",
    "\n",
    "Every viewpoint has a unique viewpoint ID. You are very strict to the viewpoint ID and will never fabricate nonexistent IDs. \n",
    "\n",
    "----\n",
    "Starting below, you should follow this format:\n",
    "\n",
    "Instruction: an instruction of a trajectory which describes all observations and the actions should be taken\n",
    "Initial Observation: the initial observation of the environment\n",
    "Thought: you should always think about what to do next and why\n",
    "Action: the action to take, must be one of the tools [{tool_names}]\n",
    "Action Input: \"Viewpoint ID\"\n",
    "Observation: the result of the action\n",
    "... (this Thought/Action/Action Input/Observation can repeat N times)\n",
    "Thought: I have reached the destination, I can stop.\n",
    "Final Answer: Finished!\n",
    "----\n",
    "\n",
    "Begin!\n",
    "\n",
    "Instruction: {action_plan}\n",
    "Initial Observation: {init_observation}\n",
    "Thought: I should start navigation according to the instruction, {agent_scratchpad}",
);

// NavGPT (MIT, © 2023 Gengze Zhou, Yicong Hong, Qi Wu), nav_src/prompt/planner_prompt.py
/// NavGPT's `VLN_GPT35_PROMPT` (its "Obeservation" typo included), used for every other model.
pub const VLN_GPT35_PROMPT: &str = concat!(
    "As an intelligent embodied agent, you will navigate an indoor environment to reach a target viewpoint based on a given instruction, performing the Vision and Language Navigation (VLN) task. You'll move among static positions within a pre-defined graph, aiming for minimal steps.\n",
    "\n",
    "You will receive a trajectory instruction at the start and will have access to step history (your Thought, Action, Action Input and Obeservation after the Begin! sign) and current viewpoint observation (including scene descriptions, objects, and navigable directions/distances within 3 meters) during navigation. Orientations range from -180 to 180 degrees, with 0 being forward, right 90 rightward, right/left 180 backward, and left 90 leftward.\n",
    "\n",
    "Explore the environment while avoiding revisiting viewpoints by comparing current and previously visited IDs. Reach within 3 meters of the instructed destination, and if it's visible but no objects are detected, move closer.\n",
    "\n",
    "At each step, determine if you've reached the destination.\n",
    "If yes, stop and output 'Final Answer: Finished!'.\n",
    "If not, continue by considering your location and the next viewpoint based on the instruction, using the action_maker tool.\n",
    "Show your reasoning in the Thought section.\n",
    "\n",
    "Follow the given format and use provided tools.\n",
    "{tool_descriptions}\n",
    "Do not fabricate nonexistent viewpoint IDs.\n",
    "\n",
    "----\n",
    "Starting below, you should follow this format:\n",
    "\n",
    "Instruction: the instruction describing the whole trajectory\n",
    "Initial Observation: the initial observation of the environment\n",
    "Thought: you should always think about what to do next and why\n",
    "Action: the action to take, must be one of the tools [{tool_names}]\n",
    "Action Input: \"Viewpoint ID\"\n",
    "Observation: the result of the action\n",
    "... (this Thought/Action/Action Input/Observation can repeat N times)\n",
    "Thought: I have reached the destination, I can stop.\n",
    "Final Answer: Finished!\n",
    "----\n",
    "\n",
    "Begin!\n",
    "\n",
    "Instruction: {action_plan}\n",
    "Initial Observation: {init_observation}\n",
    "Thought: I should start navigation according to the instruction, {agent_scratchpad}",
);

/// Waymark's Arabic translation of [`VLN_GPT35_PROMPT`], used for both variants.
///
/// The protocol stays in English, and the text asks the model to write it so: the keywords
/// `Thought:`, `Action:`, `Action Input:`, `Observation:`, `Final Answer:`, the labels
/// `Instruction:`, `Initial Observation:`, `Begin!` and the tool name `action_maker`, which the
/// parser and the stop sequences rely on. It also says that `الإجابة النهائية: انتهى!` is
/// accepted as a finish.
pub const VLN_ARABIC_PROMPT: &str = concat!(
    "بصفتك وكيلًا ذكيًا متجسدًا، ستتنقل في بيئة داخلية للوصول إلى نقطة مشاهدة مستهدفة بناءً على تعليمات معطاة، مؤديًا مهمة الملاحة بالرؤية واللغة (VLN). ستتحرك بين مواقع ثابتة ضمن رسم بياني محدد مسبقًا، ساعيًا إلى أقل عدد من الخطوات.\n",
    "\n",
    "ستتلقى في البداية تعليمات تصف المسار، وستتمكن أثناء التنقل من الاطلاع على سجل الخطوات (Thought وAction وAction Input وObservation الخاصة بك بعد علامة Begin!) وعلى ملاحظة نقطة المشاهدة الحالية (بما في ذلك أوصاف المشهد والأشياء والاتجاهات والمسافات القابلة للتنقل في حدود 3 أمتار). تتراوح الاتجاهات بين -180 و180 درجة، حيث تعني 0 الأمام، وright 90 اليمين، وright 180 أو left 180 الخلف، وleft 90 اليسار.\n",
    "\n",
    "استكشف البيئة مع تجنب العودة إلى نقاط المشاهدة التي زرتها، وذلك بمقارنة المعرفات الحالية بالمعرفات التي زرتها سابقًا. اقترب حتى تصبح على بعد 3 أمتار من الوجهة المذكورة في التعليمات، وإذا كانت الوجهة مرئية ولكن لم تُرصد أي أشياء، فاقترب أكثر.\n",
    "\n",
    "في كل خطوة، حدد ما إذا كنت قد وصلت إلى الوجهة.\n",
    "إذا كان الجواب نعم، فتوقف واكتب 'Final Answer: Finished!'.\n",
    "وإذا كان الجواب لا، فتابع بالنظر في موقعك وفي نقطة المشاهدة التالية بناءً على التعليمات، مستخدمًا الأداة action_maker.\n",
    "اعرض استدلالك في قسم Thought.\n",
    "\n",
    "اتبع الصيغة المعطاة واستخدم الأدوات المتاحة.\n",
    "{tool_descriptions}\n",
    "لا تختلق معرفات لنقاط مشاهدة غير موجودة.\n",
    "اكتب الكلمات المفتاحية Thought: وAction: وAction Input: وObservation: وFinal Answer: بالإنجليزية كما هي تمامًا، واكتب اسم الأداة action_maker كما هو؛ أما تفكيرك فيمكنك كتابته بالعربية. تُقبل أيضًا العبارة العربية 'الإجابة النهائية: انتهى!' بدلًا من 'Final Answer: Finished!'.\n",
    "\n",
    "----\n",
    "ابتداءً من الأسفل، يجب أن تتبع هذه الصيغة:\n",
    "\n",
    "Instruction: التعليمات التي تصف المسار بأكمله\n",
    "Initial Observation: الملاحظة الأولية للبيئة\n",
    "Thought: يجب أن تفكر دائمًا فيما ستفعله بعد ذلك ولماذا\n",
    "Action: الإجراء الذي ستتخذه، ويجب أن يكون إحدى الأدوات [{tool_names}]\n",
    "Action Input: \"معرف نقطة المشاهدة\"\n",
    "Observation: نتيجة الإجراء\n",
    "... (يمكن أن يتكرر تسلسل Thought/Action/Action Input/Observation هذا N مرة)\n",
    "Thought: لقد وصلت إلى الوجهة، يمكنني التوقف.\n",
    "Final Answer: Finished!\n",
    "----\n",
    "\n",
    "Begin!\n",
    "\n",
    "Instruction: {action_plan}\n",
    "Initial Observation: {init_observation}\n",
    "Thought: يجب أن أبدأ التنقل وفقًا للتعليمات، {agent_scratchpad}",
);

/// The `{tool_descriptions}` value for [`VLN_ARABIC_PROMPT`]: the tool description in Arabic,
/// its example kept in the English protocol.
pub const ARABIC_TOOL_DESCRIPTIONS: &str = concat!(
    "action_maker: ",
    "تُستخدم للانتقال إلى نقطة المشاهدة المجاورة التالية.\n",
    "يجب أن يكون مُدخل هذه الأداة معرف نقطة المشاهدة التالية التي تريد زيارتها، وهو سلسلة نصية. على سبيل المثال:\n",
    "Action: action_maker\n",
    "Action Input: \"4a153b13a3f6424784cb8e5dabbb3a2c\".",
);

/// Fills the template for one LLM call.
///
/// `init_observation` is the full initial observation on the first call and NavGPT's first history
/// entry afterwards; `scratchpad` is empty on the first call. Values are inserted once, never
/// scanned for placeholders themselves.
pub fn render_prompt(
    variant: PromptVariant,
    language: PromptLanguage,
    instruction: &str,
    init_observation: &str,
    scratchpad: &str,
) -> String {
    let (template, tool_descriptions) = match (language, variant) {
        (PromptLanguage::English, PromptVariant::Gpt4) => (VLN_GPT4_PROMPT, TOOL_DESCRIPTIONS),
        (PromptLanguage::English, PromptVariant::Gpt35) => (VLN_GPT35_PROMPT, TOOL_DESCRIPTIONS),
        (PromptLanguage::Arabic, _) => (VLN_ARABIC_PROMPT, ARABIC_TOOL_DESCRIPTIONS),
    };
    fill(
        template,
        &[
            ("tool_descriptions", tool_descriptions),
            ("tool_names", TOOL_NAME),
            ("action_plan", instruction),
            ("init_observation", init_observation),
            ("agent_scratchpad", scratchpad),
        ],
    )
}

/// Python `str.format` for the named placeholders in `values`, in one pass; any other brace text
/// is copied unchanged (the templates have none).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sectors::tests::WORKED_START;

    const INSTRUCTION: &str = "Exit the bedroom, cross the room to the left and stop near the room divider on the left,. ";

    // Appendix A.1 of the NavGPT study: the first prompt of the worked example with `gpt-4`, up
    // to its observation (the sector lines are `WORKED_START`).
    const FIRST_CALL_HEAD: &[&str] = &[
        "You are an intelligent embodied agent that follows an instruction to navigate in an indoor environment. Your task is to move among the static viewpoints (positions) of a pre-defined graph of the environment, and try to reach the target viewpoint as described by the given instruction with the least steps. ",
        "",
        "At the beginning of the navigation, you will be given an instruction of a trajectory which describes all observations and the action you should take at each step.",
        "During navigation, at each step, you will be at a specific viewpoint and receive the history of previous steps you have taken (containing your \"Thought\", \"Action\", \"Action Input\" and \"Observation\" after the \"Begin!\" sign) and the observation of current viewpoint (including scene descriptions, objects, and navigable directions/distances within 3 meters).",
        "Orientations range from -180 to 180 degrees: \"0\" signifies forward, \"right 90\" rightward, \"right (or left) 180\" backward, and \"left 90\" leftward. ",
        "",
        "You make actions by selecting navigable viewpoints to reach the destination. You are encouraged to explore the environment while avoiding revisiting viewpoints by comparing current navigable and previously visited IDs in previous \"Action Input\". The ultimate goal is to stop within 3 meters of the destination in the instruction. If destination visible but the target object is not detected within 3 meters, move closer.",
        "At each step, you should consider:",
        "(1) According to Current Viewpoint observation and History, have you reached the destination?",
        "If yes you should stop, output the 'Final Answer: Finished!' to stop.",
        "If not you should continue:",
        "    (2) Consider where you are on the trajectory and what should be the next viewpoint to navigate according to the instruction.",
        "    use the action_maker tool, input the next navigable viewpoint ID to move to that location.",
        "",
        "Show your reasoning in the Thought section.",
        "",
        "Here are the descriptions of these tools:",
        "action_maker: Can be used to move to next adjacent viewpoint.",
        "The input to this tool should be a viewpoint ID string of the next viewpoint you wish to visit. For example:",
        "Action: action_maker",
        "Action Input: \"4a153b13a3f6424784cb8e5dabbb3a2c\".",
        "",
        "Every viewpoint has a unique viewpoint ID. You are very strict to the viewpoint ID and will never fabricate nonexistent IDs. ",
        "",
        "----",
        "Starting below, you should follow this format:",
        "",
        "Instruction: an instruction of a trajectory which describes all observations and the actions should be taken",
        "Initial Observation: the initial observation of the environment",
        "Thought: you should always think about what to do next and why",
        "Action: the action to take, must be one of the tools [action_maker]",
        "Action Input: \"Viewpoint ID\"",
        "Observation: the result of the action",
        "... (this Thought/Action/Action Input/Observation can repeat N times)",
        "Thought: I have reached the destination, I can stop.",
        "Final Answer: Finished!",
        "----",
    ];
    #[test]
    fn first_call_matches_navgpt() {
        let init = format!("\n\tCurrent Viewpoint:\n{}", WORKED_START.join("\n"));
        let prompt = render_prompt(
            PromptVariant::for_model("gpt-4"),
            PromptLanguage::for_tag(Some("en-US")),
            INSTRUCTION,
            &init,
            "",
        );
        let instruction_line = format!("Instruction: {INSTRUCTION}");
        let expected = [
            FIRST_CALL_HEAD,
            &[
                "",
                "Begin!",
                "",
                &instruction_line,
                "Initial Observation: ",
                "\tCurrent Viewpoint:",
            ],
            WORKED_START,
            &["Thought: I should start navigation according to the instruction, "],
        ]
        .concat()
        .join("\n");
        assert_eq!(prompt, expected);
        assert_eq!(prompt.chars().count(), 4934);
        assert!(prompt.ends_with("according to the instruction, "));
    }

    #[test]
    fn templates_are_navgpts() {
        assert_eq!(VLN_GPT4_PROMPT.chars().count(), 2818);
        assert_eq!(VLN_GPT35_PROMPT.chars().count(), 2033);
        assert_eq!(MAKE_ACTION_TOOL_DESCRIPTION.chars().count(), 227);
        assert_eq!(TOOL_DESCRIPTIONS.chars().count(), 241);
        // The GPT-3.5 template as NavGPT's source spells it (JSON string literal).
        let gpt35: String = serde_json::from_str(concat!(
            r#""As an intelligent embodied agent, you will navigate an indoor environment to reach a target viewpoint based on a given instruction, performing the Vision and Language Navigation (VLN) task. You'll move among static positions within a pre-defined graph, aiming for minimal steps.\n"#,
            r#"\n"#,
            r#"You will receive a trajectory instruction at the start and will have access to step history (your Thought, Action, Action Input and Obeservation after the Begin! sign) and current viewpoint observation (including scene descriptions, objects, and navigable directions/distances within 3 meters) during navigation. Orientations range from -180 to 180 degrees, with 0 being forward, right 90 rightward, right/left 180 backward, and left 90 leftward.\n"#,
            r#"\n"#,
            r#"Explore the environment while avoiding revisiting viewpoints by comparing current and previously visited IDs. Reach within 3 meters of the instructed destination, and if it's visible but no objects are detected, move closer.\n"#,
            r#"\n"#,
            r#"At each step, determine if you've reached the destination.\n"#,
            r#"If yes, stop and output 'Final Answer: Finished!'.\n"#,
            r#"If not, continue by considering your location and the next viewpoint based on the instruction, using the action_maker tool.\n"#,
            r#"Show your reasoning in the Thought section.\n"#,
            r#"\n"#,
            r#"Follow the given format and use provided tools.\n"#,
            r#"{tool_descriptions}\n"#,
            r#"Do not fabricate nonexistent viewpoint IDs.\n"#,
            r#"\n"#,
            r#"----\n"#,
            r#"Starting below, you should follow this format:\n"#,
            r#"\n"#,
            r#"Instruction: the instruction describing the whole trajectory\n"#,
            r#"Initial Observation: the initial observation of the environment\n"#,
            r#"Thought: you should always think about what to do next and why\n"#,
            r#"Action: the action to take, must be one of the tools [{tool_names}]\n"#,
            r#"Action Input: \"Viewpoint ID\"\n"#,
            r#"Observation: the result of the action\n"#,
            r#"... (this Thought/Action/Action Input/Observation can repeat N times)\n"#,
            r#"Thought: I have reached the destination, I can stop.\n"#,
            r#"Final Answer: Finished!\n"#,
            r#"----\n"#,
            r#"\n"#,
            r#"Begin!\n"#,
            r#"\n"#,
            r#"Instruction: {action_plan}\n"#,
            r#"Initial Observation: {init_observation}\n"#,
            r#"Thought: I should start navigation according to the instruction, {agent_scratchpad}""#,
        )).unwrap();
        assert_eq!(VLN_GPT35_PROMPT, gpt35);
    }

    #[test]
    fn gpt35_rendering() {
        let prompt = render_prompt(
            PromptVariant::for_model("gpt-4o"),
            PromptLanguage::English,
            "Go {agent_scratchpad} upstairs.",
            "INIT",
            "I see stairs.\nAction: action_maker",
        );
        assert!(prompt.starts_with("As an intelligent embodied agent, you will navigate"));
        assert!(prompt.contains(
            "Follow the given format and use provided tools.\naction_maker: Can be used"
        ));
        assert!(prompt.contains("must be one of the tools [action_maker]\n"));
        assert!(prompt.ends_with(
            "Instruction: Go {agent_scratchpad} upstairs.\nInitial Observation: INIT\n\
             Thought: I should start navigation according to the instruction, I see stairs.\nAction: action_maker"
        ));
    }

    #[test]
    fn arabic_rendering() {
        for variant in [PromptVariant::Gpt4, PromptVariant::Gpt35] {
            let prompt = render_prompt(
                variant,
                PromptLanguage::for_tag(Some("ar-SA")),
                "اخرج من غرفة النوم وتوقف عند الباب.",
                "\n\tCurrent Viewpoint:\nS",
                "",
            );
            for name in [
                "tool_descriptions",
                "tool_names",
                "action_plan",
                "init_observation",
                "agent_scratchpad",
            ] {
                assert!(!prompt.contains(&format!("{{{name}}}")), "{name} left in");
            }
            assert!(!prompt.contains('{') && !prompt.contains('}'));
            assert!(prompt.contains("\naction_maker: تُستخدم للانتقال"));
            assert!(prompt.contains("[action_maker]"));
            assert!(prompt.contains("Instruction: اخرج من غرفة النوم وتوقف عند الباب.\n"));
            assert!(prompt.contains("Initial Observation: \n\tCurrent Viewpoint:\nS\n"));
            assert!(prompt.contains("\nFinal Answer: Finished!\n"));
            assert!(prompt.contains("'الإجابة النهائية: انتهى!'"));
            assert!(prompt.ends_with("Thought: يجب أن أبدأ التنقل وفقًا للتعليمات، "));
            for keyword in [
                "\nThought: ",
                "\nAction: ",
                "\nAction Input: ",
                "\nObservation: ",
            ] {
                assert!(prompt.contains(keyword), "{keyword:?}");
            }
        }
    }

    #[test]
    fn language_tags_and_models() {
        assert_eq!(PromptLanguage::for_tag(Some("ar")), PromptLanguage::Arabic);
        assert_eq!(
            PromptLanguage::for_tag(Some("AR_eg")),
            PromptLanguage::Arabic
        );
        for tag in [
            Some("en-US"),
            Some("hi-IN"),
            Some("te-IN"),
            Some("arn"),
            Some(""),
            None,
        ] {
            assert_eq!(
                PromptLanguage::for_tag(tag),
                PromptLanguage::English,
                "{tag:?}"
            );
        }
        assert_eq!(PromptVariant::for_model("gpt-4"), PromptVariant::Gpt4);
        for model in ["gpt-4-0613", "gpt-4o", "GPT-4", "gpt-3.5-turbo"] {
            assert_eq!(
                PromptVariant::for_model(model),
                PromptVariant::Gpt35,
                "{model}"
            );
        }
    }

    #[test]
    fn scratchpad_keeps_the_last_7000_characters() {
        assert_eq!(truncate_scratchpad(""), "");
        let exact = "x".repeat(7000);
        assert_eq!(truncate_scratchpad(&exact), exact);
        let long = format!("ab{}", "y".repeat(6999));
        assert_eq!(truncate_scratchpad(&long), format!("b{}", "y".repeat(6999)));
        // Characters, not bytes: Arabic letters take two bytes each.
        let arabic = "م".repeat(7003);
        let cut = truncate_scratchpad(&arabic);
        assert_eq!(cut.chars().count(), 7000);
        assert_eq!(cut.len(), 14000);
    }

    #[test]
    fn fill_is_single_pass() {
        assert_eq!(
            fill("{a}{b}{c} {", &[("a", "{b}"), ("b", "B")]),
            "{b}B{c} {"
        );
    }
}
