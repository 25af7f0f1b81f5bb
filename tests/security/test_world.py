import pytest

from tests.security.world import build_world

pytestmark = pytest.mark.django_db


def test_the_world_builds():
    world = build_world()
    assert set(world.clients) == {"shared", "private", "survivor"}
