"""HTML pages: the playground, the concept index and one page per concept lab."""

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.concepts_catalog import BY_NAME, CONCEPTS
from app.engine.concepts.gradient_descent import FUNCTIONS
from app.api.i18n import say_in_every_language

TEMPLATES = Jinja2Templates(directory=FilePath(__file__).resolve().parents[3] / "templates")
# {{ say('key') }} writes a catalogue entry in every language, so a page switches language without a reload.
TEMPLATES.env.globals["say"] = say_in_every_language

# The registries a lab's template renders its choices from, so that an entry registered in the engine is
# offered on the page without editing the template.
LAB_CHOICES = {"gradient-descent": {"functions": FUNCTIONS}}

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def playground(request: Request) -> HTMLResponse:
    """The playground."""
    return TEMPLATES.TemplateResponse(request, "playground.html", {"concepts": CONCEPTS})


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request) -> HTMLResponse:
    """Saved runs: the list, and two to six of them compared."""
    return TEMPLATES.TemplateResponse(request, "runs.html", {})


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def saved_run_page(request: Request, run_id: Annotated[str, Path(min_length=1, max_length=64)]) -> HTMLResponse:
    """The playground, opening a saved run (the page asks the API for it; a missing run says so there)."""
    return TEMPLATES.TemplateResponse(request, "playground.html", {"concepts": CONCEPTS, "run_id": run_id})


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """Interactive API documentation (Swagger UI, served from static/vendor)."""
    return TEMPLATES.TemplateResponse(request, "docs.html", {"openapi_url": request.app.openapi_url})


@router.get("/concepts", response_class=HTMLResponse)
def concept_index(request: Request) -> HTMLResponse:
    """Links to every concept lab."""
    return TEMPLATES.TemplateResponse(request, "concepts/index.html", {"concepts": CONCEPTS})


@router.get("/concepts/{name}", response_class=HTMLResponse)
def concept_page(request: Request, name: str) -> HTMLResponse:
    """One concept lab."""
    concept = BY_NAME.get(name)
    if concept is None:
        raise HTTPException(404, detail=f"No concept lab {name!r}. Expected one of: {', '.join(BY_NAME)}")
    return TEMPLATES.TemplateResponse(request, f"concepts/{name}.html",
                                      {"concept": concept, "concepts": CONCEPTS, **LAB_CHOICES.get(name, {})})
