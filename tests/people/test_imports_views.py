"""The CSV import page: upload, summary, error report, template download."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from meetings.models import Relationship
from people.models import Organization, Person
from tests.conftest import client_for
from tests.support.worker import sent_mail

HEADER = "email,name,manager_email,title,team,timezone\n"


def upload(client: Client, text: str, **options: str) -> Any:
    file = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("people:import"), {"file": file, **options})


def test_the_page_lists_the_columns_and_offers_the_template(ada: Person) -> None:
    response = client_for(ada).get(reverse("people:import"))

    page = response.content.decode()
    assert response.status_code == 200
    for column in ("email", "name", "manager_email", "title", "team", "timezone"):
        assert f"<code>{column}</code>" in page
    assert reverse("people:import_template") in page
    assert 'enctype="multipart/form-data"' in page
    assert "Check the file only" in page
    assert "Send invitations to the new people" in page


def test_the_template_is_a_csv_the_import_accepts(acme: Organization, ada: Person) -> None:
    client = client_for(ada)
    response = client.get(reverse("people:import_template"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rapport-people.csv"'
    text = response.content.decode()
    assert text.startswith("email,name,manager_email,title,team,timezone\r\n")
    # The example's manager is not in the organization: only that is wrong with it.
    result = upload(client, text, check_only="on").content.decode()
    assert "Unknown manager john.smith@example.com" in result


def test_an_upload_imports_and_shows_the_summary(
    acme: Organization, ada: Person, one_on_one: Relationship, ravi: Person, olga: Person
) -> None:
    response = upload(
        client_for(ada),
        HEADER + "nia@acme.test,Nia New,olga@acme.test,,Ops,\n"
        "ravi@acme.test,Ravi Report,olga@acme.test,,,Europe/Berlin\n",
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Imported people.csv" in page
    assert "<strong>1</strong> new person" in page
    assert "<strong>1</strong> updated" in page
    assert "<strong>1</strong> manager change (1 1:1 with a former manager archived)" in page
    assert "Teams created: Ops" in page
    assert Person.objects.get(email="nia@acme.test").manager == olga
    one_on_one.refresh_from_db()
    assert one_on_one.status == Relationship.Status.ENDED


def test_checking_only_imports_nothing(acme: Organization, ada: Person) -> None:
    response = upload(client_for(ada), HEADER + "nia@acme.test,Nia New,,,,\n", check_only="on")

    page = response.content.decode()
    assert response.status_code == 200
    assert "people.csv is valid: nothing imported yet" in page
    assert "<strong>1</strong> new person" in page
    assert not Person.objects.filter(email="nia@acme.test").exists()


def test_invitations_go_to_the_new_people(
    acme: Organization, ada: Person, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(ada), HEADER + "nia@acme.test,Nia New,,,,\n", invite="on")

    assert "1 invited" in response.content.decode()
    assert [m.to for m in sent_mail()] == [["nia@acme.test"]]
    assert "http://testserver/invite/" in sent_mail()[0].body


def test_a_bad_file_shows_the_error_table_and_imports_nothing(
    acme: Organization, ada: Person
) -> None:
    response = upload(
        client_for(ada),
        HEADER + "nia@acme.test,Nia New,,,,\nbad,Bea,,,,Mars/Base\n",
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert "people.csv has 2 problems" in page
    assert '<th scope="row">3</th>\n          <td><code>email</code> “bad” is not' in page
    assert "“Mars/Base” is not a known time zone" in page
    assert not Person.objects.filter(email="nia@acme.test").exists()


def test_a_file_problem_is_shown_for_the_whole_file(acme: Organization, ada: Person) -> None:
    file = SimpleUploadedFile("people.csv", "email,name\nzoé,Zoé\n".encode("latin-1"))
    response = client_for(ada).post(reverse("people:import"), {"file": file})

    page = response.content.decode()
    assert response.status_code == 400
    assert '<th scope="row">File</th>\n          <td>The file is not UTF-8 text' in page
    assert "The file is not UTF-8 text" in page


def test_the_error_table_shows_the_first_two_hundred(acme: Organization, ada: Person) -> None:
    rows = "".join(f"p{i}@acme.test,,,,,\n" for i in range(250))
    response = upload(client_for(ada), HEADER + rows)

    page = response.content.decode()
    assert "people.csv has 250 problems" in page
    assert page.count("The name is missing.") == 200
    assert "And 50 more problems not shown" in page


def test_an_upload_without_a_file_is_refused(acme: Organization, ada: Person) -> None:
    response = client_for(ada).post(reverse("people:import"), {})

    assert response.status_code == 400
    assert "Choose the CSV file to import." in response.content.decode()
