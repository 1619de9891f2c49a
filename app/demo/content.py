"""Fictional names and short texts for the demo program (``flask ils demo-data``).

The name lists hold common given names and surnames of Boston's communities, written
for this project. Every person built from them is fictional. Languages are the
locale codes of ``app.rules.choices.LANGUAGES``, the family's usual language first.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Community:
    """A community of Boston families: its names and the languages spoken at home."""

    label: str
    given_names: tuple[str, ...]
    surnames: tuple[str, ...]
    languages: tuple[str, ...]
    home_languages: str


COMMUNITIES: tuple[Community, ...] = (
    Community(
        "Haitian",
        ("Widline", "Jameson", "Nadège", "Wilner", "Fabienne", "Kervens", "Guerline",
         "Mackenson", "Christelle", "Djimy", "Roselaure", "Jean-Robert"),
        ("Pierre", "Joseph", "Jean-Baptiste", "Desir", "Saint-Fleur", "Augustin",
         "Celestin", "Dorvil", "Exantus", "Toussaint", "Etienne", "Noël"),
        ("ht", "fr", "en"),
        "Haitian Creole, French",
    ),
    Community(
        "Cape Verdean",
        ("Djassi", "Ivanilda", "Edmilson", "Nilza", "Adilson", "Elisângela", "Anilton",
         "Kátia", "Hélio", "Jailson", "Dulce", "Ailton"),
        ("Barros", "Gomes", "Fernandes", "Monteiro", "Tavares", "Andrade", "Lopes",
         "Pina", "Semedo", "Fortes", "Delgado", "Varela"),
        ("kea", "pt", "en"),
        "Cape Verdean Creole, Portuguese",
    ),
    Community(
        "Dominican",
        ("Yadira", "Luis Manuel", "Yesenia", "Wilfredo", "Mariela", "Yunior", "Rosanna",
         "Ángel", "Dariel", "Yeimy", "Franklin", "Esmeralda"),
        ("Rodríguez", "Peña", "Santana", "Ramírez", "Almonte", "De la Cruz", "Báez",
         "Polanco", "Mejía", "Batista", "Guzmán", "Then"),
        ("es", "en"),
        "Spanish",
    ),
    Community(
        "Puerto Rican",
        ("Marisol", "Xavier", "Nilsa", "Javier", "Yamilet", "Edwin", "Nayelis", "Héctor",
         "Gladys", "Jadiel", "Iris", "Carlos"),
        ("Rivera", "Colón", "Ortiz", "Santiago", "Cruz", "Vázquez", "Figueroa", "Meléndez",
         "Negrón", "Quiñones", "Rosario", "Acevedo"),
        ("es", "en"),
        "Spanish, English",
    ),
    Community(
        "Central American",
        ("Wilmer", "Dayana", "Brayan", "Karla", "Josué", "Lesly", "Erick", "Ingrid",
         "Nelson", "Yoselin", "Kevin", "Marleny"),
        ("Hernández", "Martínez", "López", "Flores", "Argueta", "Chávez", "Orellana",
         "Portillo", "Ayala", "Alvarado", "Reyes", "Girón"),
        ("es", "en"),
        "Spanish",
    ),
    Community(
        "Brazilian",
        ("João Pedro", "Larissa", "Gabriel", "Ana Clara", "Thiago", "Beatriz", "Matheus",
         "Juliana", "Rafael", "Letícia", "Vinícius", "Camila"),
        ("Silva", "Souza", "Oliveira", "Santos", "Costa", "Pereira", "Almeida", "Carvalho",
         "Ribeiro", "Araújo", "Nascimento", "Moreira"),
        ("pt", "en"),
        "Portuguese",
    ),
    Community(
        "Vietnamese",
        ("Minh", "Linh", "Huy", "Thảo", "Quang", "Ngọc Anh", "Tuấn", "Hương", "Bảo",
         "Trang", "Khoa", "Phúc"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ",
         "Vũ", "Dương"),
        ("vi", "en"),
        "Vietnamese",
    ),
    Community(
        "Cantonese-speaking Chinese",
        ("Ka Wai", "Siu Ming", "Wing Yan", "Chi Keung", "Mei Ling", "Kwok Wah", "Hoi Yee",
         "Man Kit", "Suet Ying", "Wai Lun", "Yuk Lan", "Tsz Hin"),
        ("Wong", "Chan", "Lam", "Leung", "Cheung", "Ng", "Tam", "Lau", "Yip", "Chow",
         "Mak", "Kwan"),
        ("zh_Hant", "en"),
        "Cantonese",
    ),
    Community(
        "Mandarin-speaking Chinese",
        ("Xiaoyu", "Hao", "Jia Hui", "Zhi Wei", "Yiming", "Xinyi", "Ruoxi", "Junjie",
         "Shuang", "Tianyu", "Yutong", "Zihan"),
        ("Chen", "Li", "Zhang", "Liu", "Wang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun",
         "Ma"),
        ("zh_Hans", "en"),
        "Mandarin",
    ),
    Community(
        "Somali",
        ("Abdirahman", "Hodan", "Fadumo", "Ayaan", "Hamza", "Sagal", "Abdullahi", "Hibo",
         "Liban", "Ifrah", "Nimco", "Mustafe"),
        ("Warsame", "Abdi", "Farah", "Jama", "Osman", "Yusuf", "Aden", "Hirsi", "Mohamud",
         "Dahir", "Egal", "Nur"),
        ("so", "ar", "en"),
        "Somali",
    ),
    Community(
        "Arab",
        ("Youssef", "Layla", "Karim", "Nour", "Mariam", "Tariq", "Rania", "Khalid",
         "Salma", "Samir", "Huda", "Omar"),
        ("Haddad", "Khoury", "Mansour", "Nasser", "Saleh", "Darwish", "Hamdan", "Aziz",
         "Khalil", "Farouk", "Bakri", "El-Amin"),
        ("ar", "fr", "en"),
        "Arabic",
    ),
    Community(
        "West African",
        ("Moussa", "Aminata", "Ibrahima", "Fatoumata", "Mamadou", "Awa", "Ousmane",
         "Mariama", "Cheikh", "Khadija", "Abdoulaye", "Binta"),
        ("Diallo", "Ndiaye", "Sow", "Traoré", "Camara", "Diop", "Bah", "Keita",
         "Coulibaly", "Fall", "Konaté", "Sylla"),
        ("fr", "en"),
        "French, Wolof",
    ),
    Community(
        "Irish",
        ("Liam", "Siobhan", "Declan", "Maeve", "Conor", "Aoife", "Brendan", "Colleen",
         "Niamh", "Ciarán", "Fiona", "Padraig"),
        ("O'Brien", "Murphy", "Sullivan", "Walsh", "McCarthy", "Flaherty", "Doherty",
         "Gallagher", "Connolly", "Fitzgerald", "O'Neill", "Kelleher"),
        ("en",),
        "English",
    ),
    Community(
        "Italian",
        ("Anthony", "Gianna", "Vincent", "Francesca", "Dominic", "Angela", "Marco",
         "Teresa", "Salvatore", "Nicole", "Paul", "Gina"),
        ("Russo", "DeMarco", "Ferrante", "Caruso", "Giordano", "Lombardi", "Rizzo",
         "Marino", "Colangelo", "Esposito", "Romano", "Bellino"),
        ("en",),
        "English",
    ),
    Community(
        "African American",
        ("Jamal", "Aaliyah", "Darnell", "Keisha", "Malik", "Imani", "Terrence", "Jasmine",
         "Andre", "Tiana", "DeShawn", "Kiara"),
        ("Washington", "Jackson", "Robinson", "Harris", "Coleman", "Jefferson", "Brooks",
         "Banks", "Freeman", "Mitchell", "Sanders", "Whitfield"),
        ("en",),
        "English",
    ),
)  # fmt: skip

STAFF_ROLES = (
    "Classroom teacher",
    "School counselor",
    "Family liaison",
    "ESL teacher",
    "Special education teacher",
    "Assistant principal",
    "School psychologist",
)

NEED_DESCRIPTIONS: dict[str, str] = {
    "reading": "Reads below grade level and loses interest in longer texts.",
    "writing": "Has good ideas but struggles to organize them into paragraphs.",
    "math": "Needs practice with fractions and multi-step word problems.",
    "science": "Finds lab reports and science vocabulary hard to follow.",
    "social_studies": "Wants help reading primary sources and writing short answers.",
    "english_language": "Recently arrived and building academic English.",
    "study_skills": "Misses assignments and would benefit from a weekly planning routine.",
    "homework": "Needs a steady hour of homework support after school.",
    "test_prep": "Preparing for the MCAS and wants timed practice.",
    "college_career": "Planning applications and needs help with essays and deadlines.",
}

NEED_TOPICS: dict[str, tuple[str, ...]] = {
    "reading": ("Reading aloud and summarizing", "Vocabulary from the class novel"),
    "writing": ("Outlining a paragraph", "Revising an essay draft"),
    "math": ("Fractions and decimals", "Word problems", "Linear equations"),
    "science": ("Lab report structure", "Ecosystems vocabulary"),
    "social_studies": ("Reading a primary source", "Short-answer practice"),
    "english_language": ("Academic vocabulary", "Speaking practice"),
    "study_skills": ("Weekly planner review", "Breaking a project into steps"),
    "homework": ("Homework review", "Catching up on missing work"),
    "test_prep": ("MCAS practice questions", "Timed practice and review"),
    "college_career": ("College essay brainstorm", "Application checklist"),
}

SESSION_NOTES = (
    "Good focus today.",
    "Student brought questions from class.",
    "Reviewed last week's work first.",
    "Agreed on a goal for next week.",
)

DECLINE_REASONS = (
    "The family asked for in-person tutoring, which the program does not offer.",
    "The student already receives weekly tutoring through the school.",
    "The family could not be reached after three attempts.",
    "The student moved to a school outside Boston Public Schools.",
    "The request is for speech therapy; referred back to the school team.",
)

WITHDRAW_NOTES = (
    "The family found an after-school program.",
    "The student's schedule no longer allows weekly sessions.",
)

WAITLIST_NOTE = "No mentor is free for this grade and time yet."
