"""The question bank and templates every new organization starts with.

Plain data, written for Rapport: no database access at import. Seeding lives in
playbook/services.py; org admins edit, deactivate or extend their copy afterwards.
"""

from dataclasses import dataclass

from meetings.models import Theme
from playbook.models import Question

Audience = Question.Audience

# Shorthands that keep the tables below readable.
ANYONE = Audience.ANYONE
BY_MANAGER = Audience.TO_REPORT
BY_REPORT = Audience.TO_MANAGER


@dataclass(frozen=True, slots=True)
class DefaultQuestion:
    theme: Theme
    audience: Question.Audience
    text: str


@dataclass(frozen=True, slots=True)
class DefaultPrompt:
    theme: Theme
    text: str
    section: str = ""


@dataclass(frozen=True, slots=True)
class DefaultTemplate:
    name: str
    description: str
    prompts: tuple[DefaultPrompt, ...]


def _bank(theme: Theme, *entries: tuple[Question.Audience, str]) -> tuple[DefaultQuestion, ...]:
    return tuple(DefaultQuestion(theme, audience, text) for audience, text in entries)


def _section(name: str, *prompts: tuple[Theme, str]) -> tuple[DefaultPrompt, ...]:
    return tuple(DefaultPrompt(theme, text, name) for theme, text in prompts)


WELLBEING = _bank(
    Theme.WELLBEING,
    (BY_MANAGER, "How are you doing, really? Not the status update, how are you?"),
    (
        BY_MANAGER,
        "On a scale from running on empty to fully charged, where are you this week, "
        "and what moved the needle?",
    ),
    (BY_MANAGER, "Which part of your week drains you most, and which part gives energy back?"),
    (
        BY_MANAGER,
        "Could you keep up your current workload for the next three months? "
        "What would you drop if you could?",
    ),
    (BY_MANAGER, "When did you last have a real break, a day or more without checking messages?"),
    (BY_MANAGER, "Are you working hours you would be comfortable keeping for a whole year?"),
    (ANYONE, "What is one change that would make your working week feel calmer?"),
    (BY_MANAGER, "How is the balance between focus time and meetings working for you?"),
    (BY_MANAGER, "Do you feel you can say no to a request here without it costing you something?"),
    (BY_MANAGER, "Is anything about how the team works together wearing you down?"),
    (
        ANYONE,
        "What does a good day at work look like for you lately, and how many did you have "
        "this week?",
    ),
    (BY_MANAGER, "How connected do you feel to the rest of the team at the moment?"),
    (
        BY_MANAGER,
        "Is anything outside work making this stretch harder that it would help me to know "
        "about? No details needed.",
    ),
    (BY_MANAGER, "Is there something you have been quietly worrying about that we haven't named?"),
    (BY_REPORT, "How are you holding up yourself? Is there anything the team could take off you?"),
)

CAREER = _bank(
    Theme.CAREER,
    (
        BY_MANAGER,
        "Where would you like to be in two or three years? 'Not sure yet' is a fine answer.",
    ),
    (BY_MANAGER, "Which parts of your role would you happily do more of, and which less?"),
    (BY_MANAGER, "What skill would you most like to build over the next six months?"),
    (
        BY_MANAGER,
        "Whose career, inside or outside the company, looks interesting to you? What about it?",
    ),
    (BY_MANAGER, "What kind of work makes you lose track of time?"),
    (
        BY_MANAGER,
        "Are you drawn to going deeper as a specialist, or broader towards leading people "
        "or areas? What pulls you that way?",
    ),
    (BY_MANAGER, "What stretch assignment would you say yes to if it came up tomorrow?"),
    (
        BY_MANAGER,
        "What is holding your growth back right now: time, opportunities, support, or "
        "something else?",
    ),
    (BY_MANAGER, "What have you learned this quarter that you are proud of?"),
    (
        BY_MANAGER,
        "Is there someone here you would like to learn from? I can make the introduction.",
    ),
    (BY_MANAGER, "Which of your strengths do you feel we are not using enough?"),
    (
        BY_MANAGER,
        "What would tell you that your career is moving here, even when your title isn't?",
    ),
    (
        BY_MANAGER,
        "If you were promoted, what would you want the next level to look like day to day?",
    ),
    (BY_MANAGER, "How can I help the right people see the work you want to be known for?"),
    (BY_MANAGER, "What small experiment could we try this month to test that direction?"),
    (BY_MANAGER, "What would you like to learn that has nothing to do with your current job?"),
    (
        BY_REPORT,
        "Where do you see the gap between my work today and the next level, and what would "
        "show you I've closed it?",
    ),
    (BY_REPORT, "What helped you most when you were at the stage of your career I am at now?"),
    (BY_REPORT, "Which career decision of yours would you make differently today, and why?"),
)

FEEDBACK = _bank(
    Theme.FEEDBACK,
    # Upward feedback: openers a report can use to tell their manager how things land.
    (
        BY_REPORT,
        "Could I tell you how your feedback on my last piece of work landed for me?",
    ),
    (BY_REPORT, "How would you like me to tell you when something you do isn't working for me?"),
    (
        BY_REPORT,
        "When I disagree with one of your decisions, how would you like me to raise it?",
    ),
    (BY_REPORT, "Can I share how the way we use these 1:1s is working for me, and one idea?"),
    (
        BY_REPORT,
        "Can I tell you about a moment recently when your support made a real difference?",
    ),
    (
        BY_REPORT,
        "Would it help to hear how the last change you announced was received from where I sit?",
    ),
    (
        BY_REPORT,
        "What are you working on as a manager right now where my honest view would help?",
    ),
    (
        BY_REPORT,
        "Could I suggest something that would make your reviews of my work easier to act on?",
    ),
    (
        BY_REPORT,
        "Is it useful if I tell you when late-evening messages make me feel I must answer?",
    ),
    (
        BY_REPORT,
        "Would you walk me through a recent decision of yours? I'd like to understand it "
        "and tell you how it came across.",
    ),
    (
        BY_REPORT,
        "What is one thing you want to do better as a manager this quarter, and may I tell "
        "you when I notice it?",
    ),
    (
        BY_REPORT,
        "How do you feel about me giving you feedback in this meeting? Is there a better way?",
    ),
    # Feedback the other way, and about the working relationship.
    (BY_MANAGER, "What is one thing I could do differently that would make your work easier?"),
    (
        BY_MANAGER,
        "Is there feedback for me you have been holding on to? I'd rather hear it now than "
        "at review time.",
    ),
    (
        BY_MANAGER,
        "How useful has my feedback been lately: too vague, too late, too much, about right?",
    ),
    (
        BY_MANAGER,
        "How do you like to get feedback from me: in the moment, here in our 1:1, or in writing?",
    ),
    (BY_MANAGER, "What is one thing you would like feedback on right now?"),
    (BY_MANAGER, "Is there feedback for a colleague that you would like help preparing?"),
    (ANYONE, "Did anything in our last few conversations not land well?"),
    (ANYONE, "What should we start, stop and keep doing in these 1:1s?"),
)

BLOCKERS = _bank(
    Theme.BLOCKERS,
    (BY_MANAGER, "What is slowing you down the most right now?"),
    (
        BY_MANAGER,
        "Are you waiting on a decision? Whose is it, and can I help get it made?",
    ),
    (BY_MANAGER, "Where are you stuck, and what have you already tried?"),
    (BY_MANAGER, "What have you been putting off, and what makes it hard to start?"),
    (ANYONE, "Is a dependency on another team worrying you?"),
    (BY_MANAGER, "What would you escalate if you knew it wouldn't sound like complaining?"),
    (BY_MANAGER, "Which tool or process costs you the most time for the least value?"),
    (BY_MANAGER, "Is there anyone you are finding hard to work with at the moment?"),
    (BY_MANAGER, "What risk can you see coming that we haven't talked about yet?"),
    (
        BY_MANAGER,
        "Do you have the access, information and people you need to finish what's on your plate?",
    ),
    (BY_MANAGER, "When you hit a wall, do you know whom to ask? Has that worked lately?"),
    (BY_MANAGER, "Is anything I do, or don't do, getting in your way?"),
    (BY_REPORT, "What are you stuck on where I might be able to help?"),
)

PRIORITIES = _bank(
    Theme.PRIORITIES,
    (
        BY_MANAGER,
        "What are your top three priorities this week? Let's check they match what I'd say.",
    ),
    (BY_MANAGER, "If you could finish only one thing this month, what should it be?"),
    (BY_MANAGER, "Is there anything on your list we should stop doing altogether?"),
    (BY_MANAGER, "Where are you unsure what 'done' looks like?"),
    (
        ANYONE,
        "Are different people asking for conflicting things? Let's decide together which wins.",
    ),
    (BY_MANAGER, "How clear is it to you why your current project matters?"),
    (
        BY_MANAGER,
        "Where did most of your time go last week, and was that the right place for it?",
    ),
    (BY_MANAGER, "What are you still doing out of habit that no longer seems to matter?"),
    (ANYONE, "Which deadline looks unrealistic to you, and where would you push back?"),
    (BY_MANAGER, "If you could shape your focus for next quarter, what would it be?"),
    (
        BY_REPORT,
        "What matters most to you and the team this month, so I can line up behind it?",
    ),
    (BY_REPORT, "Have priorities shifted higher up in a way that should change my plans?"),
)

RECOGNITION = _bank(
    Theme.RECOGNITION,
    (BY_MANAGER, "What are you proudest of since we last met?"),
    (
        BY_MANAGER,
        "Whose help made a difference to you recently? Have they heard it from you?",
    ),
    (
        BY_MANAGER,
        "How do you like to be recognised: in public, in private, in writing, or not at all?",
    ),
    (BY_MANAGER, "Is there work of yours that you feel went unnoticed?"),
    (ANYONE, "What small win from this week is worth celebrating?"),
    (ANYONE, "Who on the team deserves a thank-you they haven't had yet?"),
    (
        BY_MANAGER,
        "When did you last feel your work was truly appreciated here? What happened?",
    ),
    (BY_MANAGER, "Is there recent work of yours you would like me to share more widely?"),
    (BY_MANAGER, "What did you do this month that was harder than it looked from outside?"),
    (BY_MANAGER, "What praise or thanks have you received lately that stayed with you?"),
    (ANYONE, "What went better than expected since we last spoke?"),
)

GOALS = _bank(
    Theme.GOALS,
    (
        BY_MANAGER,
        "How are you tracking against this quarter's goals? What is ahead and what is behind?",
    ),
    (
        BY_MANAGER,
        "Is one of your goals no longer the right goal? Let's change it rather than carry it.",
    ),
    (
        BY_MANAGER,
        "What is the next concrete step on your biggest goal, and when will you take it?",
    ),
    (BY_MANAGER, "What support do you need for the goal you feel least sure about?"),
    (BY_MANAGER, "How will we know this goal is achieved? What will we be able to see?"),
    (BY_MANAGER, "Which goal excites you most, and which feels like an obligation?"),
    (ANYONE, "Are your goals and the team's goals pulling in the same direction?"),
    (BY_MANAGER, "What did you learn from the last goal you missed?"),
    (BY_MANAGER, "What goal would you set yourself if nobody else had a say?"),
    (
        BY_MANAGER,
        "From one to ten, how likely are you to reach this goal? What would make it one "
        "point higher?",
    ),
    (
        BY_MANAGER,
        "Is there a personal development goal we should write down so it doesn't get lost?",
    ),
    (BY_REPORT, "What are your own goals this quarter, and how does my work connect to them?"),
)

OTHER = _bank(
    Theme.OTHER,
    (ANYONE, "What would you like to talk about that isn't on the agenda?"),
    (BY_MANAGER, "Is there anything I should have asked you today but didn't?"),
    (ANYONE, "What from today should we come back to next time?"),
    (BY_REPORT, "Is anything happening in the wider company that I should know about?"),
    (ANYONE, "How useful was this 1:1 for you, and what would make the next one better?"),
    (
        BY_MANAGER,
        "What have you read, watched or tried lately that changed how you think about your work?",
    ),
)

DEFAULT_QUESTIONS: tuple[DefaultQuestion, ...] = (
    *WELLBEING,
    *CAREER,
    *FEEDBACK,
    *BLOCKERS,
    *PRIORITIES,
    *RECOGNITION,
    *GOALS,
    *OTHER,
)


FIRST_ONE_ON_ONE = DefaultTemplate(
    name="First 1:1: getting to know each other",
    description=(
        "For the first meeting with a new report, or with a new manager. Learn how each of "
        "you likes to work, what matters to you, and agree how you will use these 1:1s. "
        "Listen more than you talk."
    ),
    prompts=(
        *_section(
            "About you",
            (Theme.CAREER, "What brought you here? Tell me a little about your path so far."),
            (Theme.WELLBEING, "What gives you energy at work, and what drains it?"),
            (Theme.OTHER, "Is there anything about your life outside work you'd like me to know?"),
        ),
        *_section(
            "Working together",
            (
                Theme.FEEDBACK,
                "How do you like to receive feedback, and how should I tell you when "
                "something isn't working?",
            ),
            (
                Theme.FEEDBACK,
                "What did your best manager do that you'd like me to do too, and what should "
                "I avoid?",
            ),
            (
                Theme.OTHER,
                "How do you prefer to reach each other: chat, email, a quick call? When are "
                "you hardest to reach?",
            ),
        ),
        *_section(
            "Our 1:1s",
            (
                Theme.PRIORITIES,
                "This time is yours first. How often should we meet, and what would make it "
                "worth your while?",
            ),
            (Theme.GOALS, "What would you like to have achieved in your first few months here?"),
        ),
    ),
)

WEEKLY_CHECK_IN = DefaultTemplate(
    name="Weekly check-in",
    description=(
        "A light weekly rhythm: how you are, what went well, what's next and what's in the "
        "way. Either of you can add points during the week; start with the team member's."
    ),
    prompts=(
        DefaultPrompt(Theme.WELLBEING, "How are you doing this week, honestly?"),
        DefaultPrompt(Theme.RECOGNITION, "What went well since we last met?"),
        DefaultPrompt(Theme.BLOCKERS, "What is in your way, and what can I do about it?"),
        DefaultPrompt(Theme.PRIORITIES, "What are your top priorities until we meet again?"),
        DefaultPrompt(Theme.FEEDBACK, "Is there any feedback either of us should share?"),
        DefaultPrompt(
            Theme.GOALS, "Which commitments from last time are done, and which need a new plan?"
        ),
    ),
)

CAREER_CONVERSATION = DefaultTemplate(
    name="Career conversation (GROW)",
    description=(
        "A longer conversation about growth, once a quarter or so, booked apart from the "
        "weekly 1:1 so current work doesn't crowd it out. Follows GROW: Goal, Reality, "
        "Options, Way forward. The team member leads; the manager asks and listens."
    ),
    prompts=(
        *_section(
            "Goal",
            (
                Theme.CAREER,
                "Looking two or three years ahead, what would you like your work to look like?",
            ),
            (Theme.GOALS, "What would make this conversation worthwhile for you today?"),
        ),
        *_section(
            "Reality",
            (
                Theme.CAREER,
                "Where are you now compared with that picture? Which strengths will carry you?",
            ),
            (
                Theme.BLOCKERS,
                "What stands in the way: skills, experience, opportunities or visibility?",
            ),
        ),
        *_section(
            "Options",
            (
                Theme.CAREER,
                "What could you try in the next three months to move closer? Name a few "
                "before picking one.",
            ),
            (Theme.CAREER, "Who or what could help: a mentor, a project, a course, another team?"),
        ),
        *_section(
            "Way forward",
            (Theme.GOALS, "Which option will you commit to, and what is the first step?"),
            (Theme.GOALS, "How and when will we check progress together?"),
        ),
    ),
)

ONBOARDING_30 = DefaultTemplate(
    name="Onboarding: 30 days",
    description=(
        "About a month in: is the new person settling, do they have what they need, and "
        "is it clear what is expected of them? Fresh eyes notice what the team has stopped "
        "seeing, so ask for it."
    ),
    prompts=(
        *_section(
            "Settling in",
            (Theme.WELLBEING, "How do your first weeks compare with what you expected?"),
            (Theme.OTHER, "Whom have you met so far, and whom should you meet next?"),
            (
                Theme.BLOCKERS,
                "Do you have the access, tools and information you need? What is missing?",
            ),
        ),
        *_section(
            "Expectations",
            (Theme.PRIORITIES, "What is clear about your role, and what still feels fuzzy?"),
            (Theme.PRIORITIES, "What have you worked out about how decisions get made here?"),
        ),
        *_section(
            "Feedback",
            (
                Theme.RECOGNITION,
                "What has gone well so far? (Manager: name something specific you noticed.)",
            ),
            (Theme.FEEDBACK, "What should our onboarding do differently for the next person?"),
        ),
    ),
)

ONBOARDING_60 = DefaultTemplate(
    name="Onboarding: 60 days",
    description=(
        "About two months in: from learning to contributing. Check the working "
        "relationship and agree the first real goals."
    ),
    prompts=(
        *_section(
            "Contributing",
            (Theme.RECOGNITION, "What have you delivered or contributed that you're pleased with?"),
            (Theme.CAREER, "Where do you feel confident now, and where do you still feel new?"),
            (Theme.WELLBEING, "How is your workload settling now that more work comes your way?"),
        ),
        *_section(
            "Fresh eyes",
            (
                Theme.FEEDBACK,
                "Which of our habits surprised you? What would you question if you were us?",
            ),
            (
                Theme.FEEDBACK,
                "How is our working relationship going? What should I do more or less of?",
            ),
        ),
        *_section(
            "Next",
            (Theme.GOALS, "Let's agree two or three goals for the coming quarter."),
        ),
    ),
)

ONBOARDING_90 = DefaultTemplate(
    name="Onboarding: 90 days",
    description=(
        "About three months in: look back on the first quarter, check the role is what "
        "was promised, exchange feedback both ways and look ahead."
    ),
    prompts=(
        *_section(
            "Looking back",
            (
                Theme.RECOGNITION,
                "Looking back at your first three months, what are you proudest of?",
            ),
            (Theme.GOALS, "How did you do against the goals we agreed at 60 days?"),
            (
                Theme.WELLBEING,
                "Is the role what you expected when you accepted the offer? What is different?",
            ),
        ),
        *_section(
            "Feedback both ways",
            (
                Theme.FEEDBACK,
                "What feedback do you have for me and the team after your first quarter?",
            ),
            (
                Theme.FEEDBACK,
                "What is going well, and what is the one thing to focus on next? (Manager first.)",
            ),
        ),
        *_section(
            "Looking ahead",
            (Theme.CAREER, "What would you like to own or grow into over the next six months?"),
            (Theme.WELLBEING, "Would you recommend this team to a friend? Why, or why not?"),
        ),
    ),
)

PERFORMANCE_REVIEW_PREP = DefaultTemplate(
    name="Performance review prep",
    description=(
        "Prepare the formal review together so it holds no surprises: what happened, the "
        "evidence, where your views differ and what comes next. Notes here stay in this "
        "1:1 unless you choose to share them."
    ),
    prompts=(
        *_section(
            "Looking back",
            (
                Theme.RECOGNITION,
                "What were your most important contributions this period, and what changed "
                "because of them?",
            ),
            (
                Theme.GOALS,
                "Which goals did you reach, which did you miss, and what did each teach you?",
            ),
            (Theme.FEEDBACK, "What feedback from colleagues should we bring into the review?"),
        ),
        *_section(
            "Evidence",
            (
                Theme.OTHER,
                "Which examples show your work best? Let's collect links and notes now, not "
                "the night before.",
            ),
            (
                Theme.FEEDBACK,
                "Where might we see your performance differently? Let's talk it through "
                "before the review, not in it.",
            ),
        ),
        *_section(
            "Looking ahead",
            (Theme.CAREER, "What would you like to focus on and grow in next period?"),
            (Theme.BLOCKERS, "What support do you need from me to get there?"),
        ),
    ),
)

STAY_INTERVIEW = DefaultTemplate(
    name="Stay interview",
    description=(
        "The questions of an exit interview, asked while there is still time to act on the "
        "answers. Once or twice a year, in a calm period; thank them for their candour and "
        "follow up on at least one thing."
    ),
    prompts=(
        DefaultPrompt(Theme.WELLBEING, "What do you look forward to when you start your week?"),
        DefaultPrompt(Theme.WELLBEING, "What keeps you here? What would you miss if you left?"),
        DefaultPrompt(Theme.CAREER, "What might tempt you away?"),
        DefaultPrompt(
            Theme.WELLBEING, "When did you last think about leaving, and what prompted it?"
        ),
        DefaultPrompt(
            Theme.BLOCKERS, "If you could change one thing about your job, what would it be?"
        ),
        DefaultPrompt(Theme.RECOGNITION, "Is your work recognised the way you would like?"),
        DefaultPrompt(Theme.CAREER, "What are you learning here, and is it enough?"),
        DefaultPrompt(Theme.FEEDBACK, "What can I do to make this a place you want to stay?"),
    ),
)

SKIP_LEVEL = DefaultTemplate(
    name="Skip-level 1:1",
    description=(
        "A conversation between a person and their manager's manager: how things look "
        "from the ground, ideas and concerns. Agree at the start what, if anything, may "
        "be passed on to the direct manager."
    ),
    prompts=(
        DefaultPrompt(
            Theme.RECOGNITION,
            "What is going well in your team that I may not see from where I sit?",
        ),
        DefaultPrompt(Theme.BLOCKERS, "What gets in your team's way?"),
        DefaultPrompt(Theme.PRIORITIES, "How clear is our direction to you? What doesn't add up?"),
        DefaultPrompt(
            Theme.FEEDBACK, "If you ran the department for a week, what would you change first?"
        ),
        DefaultPrompt(Theme.FEEDBACK, "What do you need more of from your manager, and from me?"),
        DefaultPrompt(Theme.CAREER, "Is there anything about your growth here I should know?"),
        DefaultPrompt(Theme.OTHER, "What question have you wanted to ask leadership but haven't?"),
    ),
)

DEFAULT_TEMPLATES: tuple[DefaultTemplate, ...] = (
    FIRST_ONE_ON_ONE,
    WEEKLY_CHECK_IN,
    CAREER_CONVERSATION,
    ONBOARDING_30,
    ONBOARDING_60,
    ONBOARDING_90,
    PERFORMANCE_REVIEW_PREP,
    STAY_INTERVIEW,
    SKIP_LEVEL,
)
