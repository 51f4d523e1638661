"""Realistic text for generated 1:1s: talking points, notes, actions and reasons."""

import random
from collections.abc import Sequence
from functools import cache
from string import Formatter

from demo import content

Side = str  # "lead" or "member"


@cache
def _fields(template: str) -> tuple[str, ...]:
    """The placeholder names a template uses, so only those get a random value."""
    return tuple(name for _, name, _, _ in Formatter().parse(template) if name)


class TextMaker:
    """Fills templates with names, projects and customers drawn from one random stream."""

    def __init__(
        self, rng: random.Random, *, teammates: Sequence[str], projects: Sequence[str]
    ) -> None:
        self.rng = rng
        self.teammates = tuple(teammates) or content.FIRST_NAMES
        self.projects = tuple(projects) or content.PROJECTS

    def fill(self, template: str, **known: str) -> str:
        fields = _fields(template)
        if not fields:
            return template
        choice = self.rng.choice
        values: dict[str, str] = {}
        for name in fields:
            if name in known:
                values[name] = known[name]
            elif name == "project":
                values[name] = choice(self.projects).replace(
                    "{quarter}", str(self.rng.randint(1, 4))
                )
            elif name == "teammate":
                values[name] = choice(self.teammates)
            elif name == "quarter":
                values[name] = str(self.rng.randint(1, 4))
            else:
                values[name] = choice(_POOLS[name])
        text = template.format(**values)
        return text[0].upper() + text[1:]

    def point(self, theme: str, side: Side) -> str:
        return self.fill(self.rng.choice(content.POINTS[theme][side]))

    def action(self) -> str:
        return self.fill(self.rng.choice(content.ACTIONS))

    def private_note(self, side: Side) -> str:
        return self.fill(self.rng.choice(content.PRIVATE_NOTES[side]))

    def reason(self, options: Sequence[str]) -> str:
        return self.fill(self.rng.choice(options))

    def notes(
        self,
        *,
        points: Sequence[str],
        actions: Sequence[tuple[str, str]],
        first: str,
    ) -> str:
        """Shared notes in Markdown: what was discussed, decided and who does what next."""
        rng = self.rng
        lines: list[str] = []
        if rng.random() < 0.55:
            lines += [f"**Check-in:** {self.fill(rng.choice(content.CHECK_INS), first=first)}", ""]
        if points:
            lines.append(rng.choice(("**Discussed**", "### Discussed", "**Topics**")))
            for text in points:
                line = f"- {text}"
                if rng.random() < 0.35:
                    line += f": {self.fill(rng.choice(content.FOLLOW_UPS), first=first)}"
                lines.append(line)
            lines.append("")
        if rng.random() < 0.45:
            decision = self.fill(rng.choice(content.DECISIONS), first=first)
            lines += ["**Decided**", f"- {decision}", ""]
        if actions:
            lines.append("**Next steps**")
            lines += [f"- [ ] {text} (**{owner}**)" for text, owner in actions]
            lines.append("")
        if not lines:
            lines = ["Quick sync, nothing special to note."]
        return "\n".join(lines).strip()


_POOLS: dict[str, tuple[str, ...]] = {
    "customer": content.CUSTOMERS,
    "skill": content.SKILLS,
    "tool": content.TOOLS,
    "metric": content.METRICS,
    "event": content.EVENTS,
    "first": content.FIRST_NAMES,
}
